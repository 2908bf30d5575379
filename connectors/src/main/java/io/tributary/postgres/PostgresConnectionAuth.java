package io.tributary.postgres;

import io.tributary.postgres.auth.PostgresAuthProperties;
import io.tributary.postgres.auth.PostgresIamTokens;
import io.tributary.postgres.auth.PostgresSecretPasswords;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How each kind of connection carries the settings' credentials: a password, or the properties of an authentication
 * plugin ({@link PostgresAuthProperties}) that pgjdbc asks for the password when the connection is opened.
 */
final class PostgresConnectionAuth {
    private PostgresConnectionAuth() {}

    /** For plain JDBC callers: {@code password}, or the plugin's properties. */
    static void apply(Properties props, PostgresSourceSettings settings) {
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        settings.authProperties().forEach(props::setProperty);
    }

    /**
     * For Debezium: {@code database.<property>}, which Debezium 1.9.8 hands to the driver for its JDBC and replication
     * connections (RelationalDatabaseConnectorConfig: {@code subset("database.", true)} →
     * JdbcConnection.patternBasedFactory: {@code driver.connect(url, config.asProperties())}).
     */
    static Map<String, String> debeziumProperties(PostgresSourceSettings settings) {
        Map<String, String> p = new LinkedHashMap<>();
        settings.authProperties().forEach((k, v) -> p.put("database." + k, v));
        return p;
    }

    /**
     * The password Flink CDC's builder is given: Flink CDC requires one (PostgresSourceConfigFactory.create:
     * checkNotNull), pgjdbc ignores it when a plugin is named (AuthenticationPluginManager.withPassword), so with a
     * plugin it is empty, and the job graph holds no secret.
     */
    static String builderPassword(PostgresSourceSettings settings) {
        return settings.password() != null ? settings.password() : "";
    }

    /** True if a failed authentication may succeed with credentials read again (a rotated secret, a new token). */
    static boolean canReauthenticate(PostgresSourceSettings settings) {
        return PostgresAuthProperties.usesPlugin(settings.authProperties());
    }

    /** Forgets the JVM's cached secrets and tokens, so the next connection reads or signs new ones. */
    static void forgetCachedCredentials() {
        PostgresSecretPasswords.invalidateShared();
        PostgresIamTokens.invalidateShared();
    }
}
