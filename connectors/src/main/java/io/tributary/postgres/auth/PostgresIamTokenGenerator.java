package io.tributary.postgres.auth;

/**
 * Makes an IAM database authentication token. A seam: production signs with the AWS SDK
 * ({@link RdsIamTokenGenerator}); tests count calls with a fake.
 */
@FunctionalInterface
public interface PostgresIamTokenGenerator {
    /** A token valid for 15 minutes for {@code username} on {@code hostname:port} in {@code region}. */
    String generate(String hostname, int port, String username, String region);
}
