package io.tributary.postgres;

/** A start-up check of the source database failed; the message says what to fix. */
public final class PostgresPreflightException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PostgresPreflightException(String message) {
        super(message);
    }

    public PostgresPreflightException(String message, Throwable cause) {
        super(message, cause);
    }
}
