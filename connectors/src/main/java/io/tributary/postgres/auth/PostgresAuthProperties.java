package io.tributary.postgres.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The pgjdbc driver properties that make a connection authenticate at the moment it is opened, instead of with a
 * password fixed when the job was built: {@code authenticationPluginClassName} (pgjdbc 42.7.4 instantiates that
 * class for every new connection, handing it the connection's {@link Properties}) plus keys of ours that the plugin
 * reads. pgjdbc ignores keys it does not know, and passes every property it was given to the plugin.
 *
 * <p>None of these values is secret: a secret's ARN, a region, a host. The secret itself, and every IAM token, exist
 * only inside a connection attempt.
 */
public final class PostgresAuthProperties {
    /** pgjdbc's own property (PGProperty.AUTHENTICATION_PLUGIN_CLASS_NAME). */
    public static final String PLUGIN = "authenticationPluginClassName";

    public static final String IAM_HOSTNAME = "tributary.iam.hostname";
    public static final String IAM_PORT = "tributary.iam.port";
    public static final String IAM_REGION = "tributary.iam.region";
    /** A {@link PostgresIamTokenGenerator} class with a no-argument constructor; tests only (default: RDS). */
    public static final String IAM_TOKEN_GENERATOR = "tributary.iam.token-generator";

    public static final String SECRET_ARN = "tributary.secret.arn";
    public static final String SECRET_REGION = "tributary.secret.region";
    /** Secrets Manager endpoint override (a VPC endpoint's URL, or a test's stand-in); absent: the region's. */
    public static final String SECRET_ENDPOINT = "tributary.secret.endpoint";

    private PostgresAuthProperties() {}

    /**
     * IAM database authentication (RDS, Aurora): every new connection's password is an IAM token for
     * {@code hostname:port}, the connection's user and {@code region} (see {@link PostgresIamTokenPlugin}).
     * RDS refuses IAM tokens without TLS: the connection needs sslmode require or stricter.
     */
    public static Map<String, String> iam(String hostname, int port, String region) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PLUGIN, PostgresIamTokenPlugin.class.getName());
        p.put(IAM_HOSTNAME, hostname);
        p.put(IAM_PORT, Integer.toString(port));
        p.put(IAM_REGION, region);
        return p;
    }

    /**
     * The password read from the Secrets Manager secret {@code arn} when a connection is opened (see
     * {@link PostgresSecretPasswordPlugin}).
     *
     * @param endpoint an endpoint override, or null for the region's public endpoint
     */
    public static Map<String, String> secret(String arn, String region, String endpoint) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PLUGIN, PostgresSecretPasswordPlugin.class.getName());
        p.put(SECRET_ARN, arn);
        p.put(SECRET_REGION, region);
        if (endpoint != null) {
            p.put(SECRET_ENDPOINT, endpoint);
        }
        return p;
    }

    /** True if {@code properties} name an authentication plugin: the password property is then not used. */
    public static boolean usesPlugin(Map<String, String> properties) {
        String plugin = properties.get(PLUGIN);
        return plugin != null && !plugin.isEmpty();
    }

    /** A required property the plugin reads; fails naming the property (a wiring bug, not an operator's). */
    static String required(Properties info, String key) {
        String value = info.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("pgjdbc property '" + key + "' is missing: the connection was not built"
                    + " from PostgresAuthProperties");
        }
        return value;
    }
}
