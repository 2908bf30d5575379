package io.tributary.job.config;

/**
 * Reads a secret's value by ARN. A seam so the password logic is tested with a fake, and the AWS
 * client is built only when a secret is actually asked for.
 */
@FunctionalInterface
public interface SecretsProvider {
    /** The secret's current string value; throws {@link ConfigException} if it cannot be read. */
    String secretString(String arn);
}
