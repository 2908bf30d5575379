package io.tributary.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The pgjdbc driver properties of every connection Tributary opens to PostgreSQL, made in one place so that TLS
 * (and the authentication that {@link PostgresSourceSettings#driverProperties()} adds) cannot be missed by one of
 * them:
 * <ul>
 *   <li>plain JDBC (start-up checks, the slot-lag metric, the verify command): {@link #jdbc};</li>
 *   <li>Debezium's JDBC and replication connections: {@link #debezium}, as {@code database.<key>} properties, which
 *       Debezium 1.9 hands to the driver unchanged ({@code RelationalDatabaseConnectorConfig.getJdbcConfig} keeps
 *       every {@code database.*} key without its prefix, {@code JdbcConnection.patternBasedFactory} passes them to
 *       {@code Driver.connect}; the replication connection is built from the same {@code getJdbcConfig()});</li>
 *   <li>Flink CDC's snapshot pool (HikariCP), which passes no driver properties of its own:
 *       {@link PostgresDriverPoolFactory} reads the same {@code database.*} keys back.</li>
 * </ul>
 * The password is set by each caller's own mechanism and never appears in anything this class logs or throws.
 */
public final class PostgresConnectionProperties {
    /** Keys this class (or Flink CDC, for Debezium) sets; {@link PostgresSourceSettings#driverProperties()} may not. */
    static final Set<String> OWN_KEYS = Set.of(
            "user",
            "password",
            "ApplicationName",
            "connectTimeout",
            "loginTimeout",
            "sslmode",
            "sslfactory",
            PostgresTlsSocketFactory.ROOT_CERT_PROPERTY);

    static final String DEBEZIUM_PREFIX = "database.";

    private PostgresConnectionProperties() {}

    /** The properties of a plain JDBC connection for {@code settings}, with user, password and timeouts. */
    public static Properties jdbc(PostgresSourceSettings settings, String applicationName) {
        // password null: an authentication plugin in driver() gives it per connection
        Properties p = credentials(settings.username(), settings.password(), applicationName);
        String timeoutSeconds =
                Long.toString(Math.max(1, settings.connectTimeout().toSeconds()));
        p.setProperty("connectTimeout", timeoutSeconds);
        p.setProperty("loginTimeout", timeoutSeconds);
        driver(settings).forEach(p::setProperty);
        return p;
    }

    /**
     * The properties of a plain JDBC connection made without {@link PostgresSourceSettings} (the verify command, which
     * is given a JDBC URL): user, password (null: none, or the driver's own sources such as {@code .pgpass}) and TLS
     * as {@link #tls} makes it.
     */
    public static Properties jdbc(
            String user, String password, PostgresSslMode mode, String rootCertPem, String applicationName) {
        Properties p = credentials(user, password, applicationName);
        tls(mode, rootCertPem).forEach(p::setProperty);
        return p;
    }

    private static Properties credentials(String user, String password, String applicationName) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", applicationName);
        return p;
    }

    /**
     * What every connection gets beyond address and credentials: TLS, then the settings' own driver properties.
     * This is the set Debezium and the snapshot pool receive.
     */
    public static Map<String, String> driver(PostgresSourceSettings settings) {
        Map<String, String> p = tls(settings.sslMode(), settings.sslRootCert());
        p.putAll(settings.driverProperties());
        return p;
    }

    /**
     * pgjdbc's TLS properties: {@code sslmode}, and for a verifying mode our socket factory with the root
     * certificates (PEM) it trusts; without them it trusts the JVM's default trust store.
     */
    public static Map<String, String> tls(PostgresSslMode mode, String rootCertPem) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sslmode", mode.optionValue());
        if (mode.verifiesCertificate()) {
            p.put("sslfactory", PostgresTlsSocketFactory.class.getName());
            if (rootCertPem != null) {
                p.put(PostgresTlsSocketFactory.ROOT_CERT_PROPERTY, rootCertPem);
            }
        }
        return p;
    }

    /** {@link #driver} as Debezium pass-through properties ({@code database.<key>}). */
    public static Properties debezium(PostgresSourceSettings settings) {
        Properties p = new Properties();
        driver(settings).forEach((k, v) -> p.setProperty(DEBEZIUM_PREFIX + k, v));
        return p;
    }
}
