package io.tributary.postgres.auth;

import org.postgresql.plugin.AuthenticationPlugin;
import org.postgresql.plugin.AuthenticationRequestType;
import org.postgresql.util.PSQLException;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link PostgresIamTokenPlugin} with a count of how often pgjdbc asks it for a password, named in
 * {@code authenticationPluginClassName} in its place, so a test sees what pgjdbc does with the real plugin.
 */
public final class CountingIamTokenPlugin implements AuthenticationPlugin {
    public static final AtomicInteger CALLS = new AtomicInteger();

    private final PostgresIamTokenPlugin plugin;

    public CountingIamTokenPlugin(Properties info) {
        this.plugin = new PostgresIamTokenPlugin(info);
    }

    @Override
    public char[] getPassword(AuthenticationRequestType type) throws PSQLException {
        CALLS.incrementAndGet();
        return plugin.getPassword(type);
    }
}
