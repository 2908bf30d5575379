package io.tributary.dynamodb;

/** A DynamoDB failure the sink cannot ride out; its message says what the operator should fix. */
public final class DynamoDbSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DynamoDbSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
