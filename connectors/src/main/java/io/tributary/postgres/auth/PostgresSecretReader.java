package io.tributary.postgres.auth;

/**
 * Reads a secret's current text. A seam: production reads AWS Secrets Manager ({@link SecretsManagerSecretReader});
 * tests hand in a fake whose value changes.
 */
@FunctionalInterface
public interface PostgresSecretReader {
    /**
     * The secret's current string value; throws {@link PostgresSecretException} with what to fix if it cannot be read.
     *
     * @param endpoint an endpoint override, or null for the region's
     */
    String secretString(String arn, String region, String endpoint);
}
