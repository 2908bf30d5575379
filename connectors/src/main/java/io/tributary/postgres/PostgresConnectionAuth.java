package io.tributary.postgres;

import io.tributary.postgres.auth.PostgresAuthProperties;
import io.tributary.postgres.auth.PostgresIamTokens;
import io.tributary.postgres.auth.PostgresSecretPasswords;

/**
 * What the settings' authentication means for connections: a password, or an authentication plugin
 * ({@link PostgresAuthProperties}, carried as driver properties by {@link PostgresConnectionProperties}) that pgjdbc
 * asks for the password when a connection is opened.
 */
final class PostgresConnectionAuth {
    private PostgresConnectionAuth() {}

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
        return PostgresAuthProperties.usesPlugin(settings.driverProperties());
    }

    /** Forgets the JVM's cached secrets and tokens, so the next connection reads or signs new ones. */
    static void forgetCachedCredentials() {
        PostgresSecretPasswords.invalidateShared();
        PostgresIamTokens.invalidateShared();
    }
}
