package io.tributary.dynamodb;

/** A change that cannot become a DynamoDB write (too large, empty or null key): it goes to the dead letters. */
public final class DynamoDbUnmappableException extends Exception {
    private static final long serialVersionUID = 1L;

    public DynamoDbUnmappableException(String message) {
        super(message);
    }
}
