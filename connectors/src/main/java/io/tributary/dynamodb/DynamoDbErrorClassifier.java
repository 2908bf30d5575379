package io.tributary.dynamodb;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides what a failed DynamoDB write means: an older change losing to the stored version (not
 * an error), a transient condition to retry with backoff, an item-specific problem for the dead
 * letters, or a fatal misconfiguration that must stop the job with a message saying what to fix.
 */
public final class DynamoDbErrorClassifier {

    /** What to do about a failed write. */
    public enum Kind {
        /** The condition failed: the item already holds this or a newer change. Counted, not an error. */
        STALE,
        /** Throttling, 5xx, network: retry with backoff. */
        RETRYABLE,
        /** This item cannot be written (too large, bad key value): dead letter, keep running. */
        DEAD_LETTER,
        /** Missing table, no permission, mapping that does not match the table: fail the job. */
        FATAL
    }

    /** A classification and the operator-facing explanation. */
    public static final class Verdict {
        private final Kind kind;
        private final String message;

        Verdict(Kind kind, String message) {
            this.kind = kind;
            this.message = message;
        }

        public Kind kind() {
            return kind;
        }

        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return kind + ": " + message;
        }
    }

    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException",
            "RequestLimitExceeded", "ThrottlingException", "Throttling", "TransactionConflictException",
            "LimitExceededException", "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException");
    private static final Set<String> ACCESS = Set.of("AccessDeniedException", "UnrecognizedClientException",
            "InvalidSignatureException", "MissingAuthenticationTokenException", "ExpiredTokenException",
            "IncompleteSignatureException");

    private DynamoDbErrorClassifier() {}

    public static Verdict classify(Throwable failure, String table) {
        Throwable t = unwrap(failure);
        if (t instanceof ConditionalCheckFailedException) {
            return new Verdict(Kind.STALE, "table " + table + " already holds this or a newer change");
        }
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            String text = e.awsErrorDetails() == null ? String.valueOf(e.getMessage())
                    : String.valueOf(e.awsErrorDetails().errorMessage());
            if ("ConditionalCheckFailedException".equals(code)) {
                return new Verdict(Kind.STALE, "table " + table + " already holds this or a newer change");
            }
            if (e.isThrottlingException() || THROTTLING.contains(code) || e.statusCode() >= 500) {
                return new Verdict(Kind.RETRYABLE, code + " (" + e.statusCode() + ") on table " + table + ": " + text);
            }
            if ("ResourceNotFoundException".equals(code)) {
                return new Verdict(Kind.FATAL, "DynamoDB table " + table + " does not exist (or is in another region"
                        + " or account): create it with the key attributes of its mapping, or fix the target table name"
                        + " in the DynamoDB mapping (" + text + ")");
            }
            if (ACCESS.contains(code) || e.statusCode() == 403) {
                return new Verdict(Kind.FATAL, "DynamoDB refused access to table " + table + " (" + code + "): grant"
                        + " the job's role dynamodb:PutItem, dynamodb:DeleteItem and dynamodb:Scan (for TRUNCATE) on it, or fix the credentials (" + text + ")");
            }
            if ("ValidationException".equals(code)) {
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("item size") || lower.contains("maximum allowed size")
                        || lower.contains("empty string value") || lower.contains("key attribute cannot")) {
                    return new Verdict(Kind.DEAD_LETTER, "DynamoDB refused the item for table " + table + ": " + text);
                }
                return new Verdict(Kind.FATAL, "DynamoDB rejected a write to table " + table + " as invalid: " + text
                        + ": check that the mapping's key attributes and types match the table's key schema");
            }
            return new Verdict(Kind.FATAL, "DynamoDB write to table " + table + " failed with " + code + " ("
                    + e.statusCode() + "): " + text);
        }
        if (t instanceof SdkClientException || t instanceof IOException) {
            return new Verdict(Kind.RETRYABLE, "could not reach DynamoDB for table " + table + ": " + t.getMessage());
        }
        return new Verdict(Kind.FATAL, "DynamoDB write to table " + table + " failed: " + t);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
