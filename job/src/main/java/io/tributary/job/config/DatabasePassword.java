package io.tributary.job.config;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.postgres.auth.PostgresAuthProperties;
import io.tributary.postgres.auth.PostgresSecretText;

import org.apache.flink.configuration.Configuration;

import java.util.Map;
import java.util.function.Function;

/**
 * How the job authenticates to the database. {@code auth.mode = password}: {@code password} (local runs only), else
 * {@code password.secret-arn} (AWS Secrets Manager: the secret is the password itself, or JSON with a
 * {@code "password"} key, as RDS-managed secrets are), else the environment variable named by {@code password.env}.
 * {@code auth.mode = iam}: an IAM token for every new connection (RDS, Aurora).
 *
 * <p>A secret and IAM tokens are read or made when each connection is opened, by pgjdbc authentication plugins
 * ({@link PostgresAuthProperties}): the job graph holds the secret's ARN, never its value, and a rotated password
 * reaches every connection opened after the rotation. Only {@code password} and {@code password.env} are resolved
 * here, once. No message built here ever contains a password or a secret's text.
 */
public final class DatabasePassword {
    private static final String GROUP = "property group 'source.postgres': ";

    private DatabasePassword() {}

    /**
     * Checks the authentication settings without reading any secret: one source at most, no plain {@code password}
     * on the service (property values are shown to anyone who may describe the application), a valid secret ARN.
     * The IAM region is resolved (or refused) by {@link #authProperties}, when the job is built.
     */
    public static void check(Configuration source, RunMode mode) {
        boolean plain = source.get(SourceOptions.PASSWORD) != null;
        String arn = source.get(SourceOptions.PASSWORD_SECRET_ARN);
        String authMode = source.get(SourceOptions.AUTH_MODE);
        if (!authMode.equals("password") && !authMode.equals("iam")) {
            throw new ConfigException(GROUP + "'auth.mode' = '" + authMode + "': use 'password' (with 'password',"
                    + " 'password.secret-arn' or 'password.env') or 'iam' (IAM database authentication)");
        }
        if (authMode.equals("iam")) {
            if (plain || arn != null) {
                throw new ConfigException(
                        GROUP + "'auth.mode' is 'iam' but '" + (plain ? "password" : "password.secret-arn")
                                + "' is set too: IAM authentication uses no password; remove it, or set 'auth.mode' = 'password'");
            }
            return;
        }
        if (plain && mode == RunMode.SERVICE) {
            throw new ConfigException(GROUP + "'password' is not accepted in service mode: runtime properties are "
                    + "visible in the application's description. Store the password in AWS Secrets Manager and set "
                    + "'password.secret-arn' instead");
        }
        if (plain && arn != null) {
            throw new ConfigException(GROUP + "both 'password' and 'password.secret-arn' are set: keep one");
        }
        if (arn != null) {
            secretRegion(arn);
        }
    }

    /**
     * The password when it is given in the configuration or the environment; null when a plugin authenticates
     * ({@code password.secret-arn}, {@code auth.mode = iam}; see {@link #authProperties}).
     *
     * @param env reads an environment variable (System::getenv in production)
     */
    public static String resolve(Configuration source, Function<String, String> env) {
        if (source.get(SourceOptions.AUTH_MODE).equals("iam")
                || source.get(SourceOptions.PASSWORD_SECRET_ARN) != null) {
            return null;
        }
        String plain = source.get(SourceOptions.PASSWORD);
        if (plain != null) {
            return plain;
        }
        String variable = source.get(SourceOptions.PASSWORD_ENV);
        String value = env.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(GROUP + "no password: set 'password.secret-arn' to a Secrets Manager secret, "
                    + "or the environment variable " + variable + " (named by 'password.env'), or 'password' for "
                    + "a local run, or 'auth.mode' = 'iam'");
        }
        return value;
    }

    /**
     * The pgjdbc properties of the authentication plugin, or an empty map when {@link #resolve} gives a password.
     *
     * @param regions the region for IAM tokens: {@code auth.iam.region}, else the one the job runs in
     */
    public static Map<String, String> authProperties(Configuration source, AwsRegionResolver regions) {
        if (source.get(SourceOptions.AUTH_MODE).equals("iam")) {
            return PostgresAuthProperties.iam(
                    source.get(SourceOptions.HOSTNAME), source.get(SourceOptions.PORT), iamRegion(source, regions));
        }
        String arn = source.get(SourceOptions.PASSWORD_SECRET_ARN);
        if (arn != null) {
            return PostgresAuthProperties.secret(
                    arn, secretRegion(arn), source.get(SourceOptions.PASSWORD_SECRET_ENDPOINT));
        }
        return Map.of();
    }

    private static String iamRegion(Configuration source, AwsRegionResolver regions) {
        try {
            return regions.resolve(
                    source.get(SourceOptions.AUTH_IAM_REGION),
                    "'auth.iam.region' in property group 'source.postgres' (the database's region, for IAM tokens)");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** The region a secret ARN names; fails with what a valid ARN looks like. */
    static String secretRegion(String arn) {
        String region = PostgresSecretText.regionOf(arn);
        if (region == null) {
            throw new ConfigException(GROUP + "'password.secret-arn' = '" + arn + "' is not a Secrets Manager secret"
                    + " ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)");
        }
        return region;
    }
}
