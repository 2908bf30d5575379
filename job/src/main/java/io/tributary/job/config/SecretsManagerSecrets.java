package io.tributary.job.config;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link SecretsProvider} backed by AWS Secrets Manager. Uses the async client because the job
 * already bundles its Netty HTTP client (the sinks use it); a sync client would add another.
 * Credentials come from the default chain: on Managed Service for Apache Flink, the application's
 * service execution role, which needs {@code secretsmanager:GetSecretValue} on the secret.
 */
public final class SecretsManagerSecrets implements SecretsProvider {
    private static final Pattern ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\\d{12}:secret:.+");

    /** The region a secret ARN names; fails with what a valid ARN looks like. */
    static String region(String arn) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw new ConfigException("property group 'source.postgres': 'password.secret-arn' = '" + arn
                    + "' is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)");
        }
        return m.group(1);
    }

    @Override
    public String secretString(String arn) {
        try (SecretsManagerAsyncClient client =
                SecretsManagerAsyncClient.builder().region(Region.of(region(arn))).build()) {
            GetSecretValueResponse response =
                    client.getSecretValue(GetSecretValueRequest.builder().secretId(arn).build()).join();
            if (response.secretString() == null) {
                throw new ConfigException("secret " + arn + " holds binary data: store the password as a string, "
                        + "or as JSON with a \"password\" key");
            }
            return response.secretString();
        } catch (CompletionException | software.amazon.awssdk.core.exception.SdkException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            // The SDK's messages name the secret and the error, never its value.
            throw new ConfigException("cannot read secret " + arn + " from AWS Secrets Manager: " + cause.getMessage()
                    + ". Check the ARN, and that the job's role may call secretsmanager:GetSecretValue on it"
                    + " (and kms:Decrypt on its key, if it is a customer-managed key)", cause);
        }
    }
}
