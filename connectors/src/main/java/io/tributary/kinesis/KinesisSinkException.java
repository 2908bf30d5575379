package io.tributary.kinesis;

/** A Kinesis sink failure that retrying cannot fix; it fails the job with a message for the operator. */
public final class KinesisSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KinesisSinkException(String message) {
        super(message);
    }

    public KinesisSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
