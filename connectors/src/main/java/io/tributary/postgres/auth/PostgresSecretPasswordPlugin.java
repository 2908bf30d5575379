package io.tributary.postgres.auth;

import org.postgresql.plugin.AuthenticationPlugin;
import org.postgresql.plugin.AuthenticationRequestType;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.util.Properties;

/**
 * pgjdbc authentication plugin that reads the password from the AWS Secrets Manager secret in
 * {@link PostgresAuthProperties#SECRET_ARN} when a connection is opened ({@link PostgresSecretPasswords}), so a
 * rotated password reaches every connection opened after the rotation without rebuilding the job, and the job graph
 * holds only the secret's ARN.
 *
 * <p>pgjdbc 42.7.4 creates one instance per authentication, with the connection's properties, and zeroes the
 * returned array after use, so each call returns a new array.
 */
public final class PostgresSecretPasswordPlugin implements AuthenticationPlugin {
    private final Properties info;

    public PostgresSecretPasswordPlugin(Properties info) {
        this.info = info;
    }

    @Override
    public char[] getPassword(AuthenticationRequestType type) throws PSQLException {
        String arn = PostgresAuthProperties.required(info, PostgresAuthProperties.SECRET_ARN);
        String region = PostgresAuthProperties.required(info, PostgresAuthProperties.SECRET_REGION);
        String endpoint = info.getProperty(PostgresAuthProperties.SECRET_ENDPOINT);
        try {
            return PostgresSecretPasswords.shared()
                    .password(arn, region, endpoint)
                    .toCharArray();
        } catch (PostgresSecretException e) {
            throw new PSQLException(e.getMessage(), PSQLState.CONNECTION_REJECTED, e);
        }
    }
}
