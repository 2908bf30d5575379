package io.tributary.dynamodb;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * Where and as whom to reach DynamoDB: region (required; see {@link io.tributary.aws.AwsRegionResolver}), an optional endpoint (DynamoDB Local, a VPC
 * endpoint), optional static keys (else the default chain: the MSF role, env, profile), and the
 * HTTP connection limit. The SDK's own retries are off: the sink writer retries with its own
 * backoff, counts every retry, and applies its fence on each attempt.
 */
public final class DynamoDbClientSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;
    private final int maxConnections;
    private final Duration callTimeout;

    private DynamoDbClientSettings(Builder b) {
        if (b.region == null || b.region.isBlank()) {
            // no default: the job passes the configured region or the one it runs in (AwsRegionResolver)
            throw new IllegalArgumentException(
                    "DynamoDB client: the region is missing (any region for DynamoDB Local)");
        }
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey;
        this.maxConnections = b.maxConnections;
        this.callTimeout = b.callTimeout;
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("DynamoDB client: set both access key and secret key, or neither"
                    + " to use the default credentials chain");
        }
    }

    public static Builder builder(String region) {
        return new Builder(region);
    }

    public DynamoDbAsyncClient createClient() {
        DynamoDbAsyncClientBuilder b = DynamoDbAsyncClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(maxConnections)
                        .protocol(Protocol.HTTP1_1))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(callTimeout)
                        .build());
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        b.credentialsProvider(
                accessKey == null
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        return b.build();
    }

    /** A blocking client with the same endpoint and credentials, for the verify command and table setup. */
    public DynamoDbClient createSyncClient() {
        DynamoDbClientBuilder b = DynamoDbClient.builder().region(Region.of(region));
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        b.credentialsProvider(
                accessKey == null
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        return b.build();
    }

    public String region() {
        return region;
    }

    /** The endpoint override, or null for the region's public endpoint. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        // never the secret key
        return "DynamoDbClientSettings[region=" + region + ", endpoint=" + endpoint + ", credentials="
                + (accessKey == null ? "default chain" : "static") + "]";
    }

    /** Builds {@link DynamoDbClientSettings}. */
    public static final class Builder {
        private final String region;
        private String endpoint;
        private String accessKey;
        private String secretKey;
        private int maxConnections = 64;
        private Duration callTimeout = Duration.ofSeconds(30);

        private Builder(String region) {
            this.region = region;
        }

        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder staticCredentials(String accessKey, String secretKey) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /** HTTP connections per client; keep it at or above the sink's max in-flight requests. Default 64. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        public DynamoDbClientSettings build() {
            return new DynamoDbClientSettings(this);
        }
    }
}
