package io.tributary.postgres.auth;

/** A database secret that cannot be read or holds no password; the message says what to fix, never the secret. */
public final class PostgresSecretException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PostgresSecretException(String message) {
        super(message);
    }

    public PostgresSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
