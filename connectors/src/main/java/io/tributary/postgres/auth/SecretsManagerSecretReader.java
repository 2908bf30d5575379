package io.tributary.postgres.auth;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.net.URI;
import java.util.concurrent.CompletionException;

/**
 * {@link PostgresSecretReader} backed by AWS Secrets Manager ({@code GetSecretValue}, the secret's AWSCURRENT
 * version). The async client runs on the Netty HTTP client the sinks already bundle; one client per read, closed
 * after it, because reads are rare (a connection opened after the cache expired) and a client kept in a static field
 * would outlive the job's class loader. Credentials come from the default chain: on Managed Service for Apache
 * Flink, the service execution role, which needs {@code secretsmanager:GetSecretValue} on the secret (and
 * {@code kms:Decrypt} on its key, if that is a customer-managed key).
 */
public final class SecretsManagerSecretReader implements PostgresSecretReader {
    @Override
    public String secretString(String arn, String region, String endpoint) {
        SecretsManagerAsyncClientBuilder builder =
                SecretsManagerAsyncClient.builder().region(Region.of(region));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        try (SecretsManagerAsyncClient client = builder.build()) {
            GetSecretValueResponse response = client.getSecretValue(
                            GetSecretValueRequest.builder().secretId(arn).build())
                    .join();
            if (response.secretString() == null) {
                throw new PostgresSecretException("secret " + arn + " holds binary data: store the password as a"
                        + " string, or as JSON with a \"password\" key");
            }
            return response.secretString();
        } catch (CompletionException | SdkException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            // The SDK's messages name the secret and the error, never its value.
            throw new PostgresSecretException(
                    "cannot read secret " + arn + " from AWS Secrets Manager: "
                            + cause.getMessage() + ". Check the ARN, and that the job's role may call"
                            + " secretsmanager:GetSecretValue on it (and kms:Decrypt on its key, if it is a customer-managed"
                            + " key)",
                    cause);
        }
    }
}
