package io.tributary.kinesis;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

import java.time.Duration;
import java.util.Objects;

/**
 * Builds the SDK v2 {@link KinesisAsyncClient} from {@link KinesisSinkSettings}: Netty HTTP client,
 * static or default-chain credentials, an optional endpoint override.
 *
 * <p>The SDK's own retries are off: the sink writer retries failed entries itself, per key and in
 * order, with one classifier and one backoff policy ({@link KinesisErrorClassifier}).
 *
 * <p>For kinesalite, CBOR must be off. SDK v2 reads that only from the JVM-wide system property
 * {@code aws.cborEnabled}, so {@code cborEnabled(false)} sets it before building the client.
 */
public final class KinesisSdkClientProvider implements KinesisClientProvider {
    private static final long serialVersionUID = 1L;

    private final KinesisSinkSettings settings;

    public KinesisSdkClientProvider(KinesisSinkSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public KinesisAsyncClient create() {
        return build(settings, settings.maxInFlightRequests() * 2);
    }

    /** A client for the settings' endpoint, usable by tools (tail, stream setup) as well as the sink. */
    public static KinesisAsyncClient build(KinesisSinkSettings settings, int maxConnections) {
        if (!settings.cborEnabled()) {
            System.setProperty(SdkSystemSetting.CBOR_ENABLED.property(), "false");
        }
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(Math.max(2, maxConnections))
                .connectionAcquisitionTimeout(Duration.ofSeconds(60));
        if (settings.http1()) {
            http.protocol(Protocol.HTTP1_1);
        }
        KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(http)
                .overrideConfiguration(
                        c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(60)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(KinesisSinkSettings settings) {
        if (settings.accessKeyId().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    settings.accessKeyId().get(), settings.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
