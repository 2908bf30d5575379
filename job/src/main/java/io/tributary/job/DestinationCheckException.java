package io.tributary.job;

/** A destination the job cannot write at all (see {@link DestinationChecks}); the message says what to fix. */
public final class DestinationCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DestinationCheckException(String message) {
        super(message);
    }
}
