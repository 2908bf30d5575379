package io.tributary.postgres.auth;

import org.postgresql.plugin.AuthenticationPlugin;
import org.postgresql.plugin.AuthenticationRequestType;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.util.Properties;

/**
 * pgjdbc authentication plugin for IAM database authentication: the password of every new connection is an IAM
 * token ({@link PostgresIamTokens}) for the host, port and region in {@link PostgresAuthProperties} and the
 * connection's {@code user}.
 *
 * <p>pgjdbc 42.7.4 creates one instance per authentication ({@code AuthenticationPluginManager.withPassword} →
 * {@code ObjectFactory.instantiate}, which tries a {@code (Properties)} constructor first) and zeroes the returned
 * array after use, so each call returns a new array.
 */
public final class PostgresIamTokenPlugin implements AuthenticationPlugin {
    private final Properties info;

    public PostgresIamTokenPlugin(Properties info) {
        this.info = info;
    }

    @Override
    public char[] getPassword(AuthenticationRequestType type) throws PSQLException {
        String hostname = PostgresAuthProperties.required(info, PostgresAuthProperties.IAM_HOSTNAME);
        String region = PostgresAuthProperties.required(info, PostgresAuthProperties.IAM_REGION);
        int port = Integer.parseInt(PostgresAuthProperties.required(info, PostgresAuthProperties.IAM_PORT));
        String user = PostgresAuthProperties.required(info, "user");
        String generator =
                info.getProperty(PostgresAuthProperties.IAM_TOKEN_GENERATOR, RdsIamTokenGenerator.class.getName());
        try {
            return PostgresIamTokens.shared(generator)
                    .token(hostname, port, user, region)
                    .toCharArray();
        } catch (RuntimeException e) {
            // The SDK's messages name the missing credentials or region, never a token.
            throw new PSQLException(
                    "cannot make an IAM authentication token for " + user + "@" + hostname + ":" + port
                            + " in " + region + ": " + e.getMessage()
                            + ". Check that the job's role may call rds-db:connect"
                            + " for this user and that AWS credentials are available",
                    PSQLState.CONNECTION_REJECTED,
                    e);
        }
    }
}
