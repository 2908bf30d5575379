package io.tributary.dynamodb;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides what a failed DynamoDB write means: an older change losing to the stored version (not
 * an error), a transient condition to retry with backoff, an item-specific problem for the dead
 * letters, or a fatal misconfiguration that must stop the job with a message saying what to fix.
 *
 * <p>A ValidationException is per item (dead letter) unless it is one that every write would get
 * (a key of the wrong name or type): those are configuration errors, which
 * {@link DynamoDbTableCheck} catches at start-up; if one still occurs (the table was recreated
 * while the job ran) it stops the job with what to fix. An unknown validation text is treated as
 * per item: the dead-letter alarm fires, the job goes on, and the letters can be re-driven.
 */
public final class DynamoDbErrorClassifier {

    /** What to do about a failed write. */
    public enum Kind {
        /** The condition failed: the item already holds this or a newer change. Counted, not an error. */
        STALE,
        /** Throttling, 5xx, network: retry with backoff. */
        RETRYABLE,
        /** This item cannot be written (too large, nested too deep, bad key value): dead letter, keep running. */
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

    private static final Set<String> THROTTLING = Set.of(
            "ProvisionedThroughputExceededException",
            "RequestLimitExceeded",
            "ThrottlingException",
            "Throttling",
            "TransactionConflictException",
            "LimitExceededException",
            "InternalServerError",
            "ServiceUnavailable",
            "ServiceUnavailableException");
    private static final Set<String> ACCESS = Set.of(
            "AccessDeniedException",
            "UnrecognizedClientException",
            "InvalidSignatureException",
            "MissingAuthenticationTokenException",
            "ExpiredTokenException",
            "IncompleteSignatureException");

    /**
     * ValidationException texts (lower case) that every write of a mapping gets, so they stop the job.
     * DynamoDB and DynamoDB Local word some differently; both are listed.
     */
    private static final List<String> EVERY_WRITE = List.of(
            "type mismatch for key", // both: key attribute of the wrong type
            "missing the key", // DynamoDB: "Missing the key id in the item"
            "one of the required keys was not given a value", // DynamoDB Local: the same
            "the provided key element does not match the schema", // delete by a key of the wrong name or type
            "invalid conditionexpression", // the condition the sink builds: a bug, not the item
            "invalid updateexpression",
            "expressionattribute");

    /** Per-item ValidationException texts (lower case) and what the operator can do about them. */
    private static final Map<String, String> ITEM_HINTS = new LinkedHashMap<>();

    static {
        ITEM_HINTS.put("item size", "over DynamoDB's 400 KB item limit: exclude large columns from the mapping");
        ITEM_HINTS.put(
                "nest", "a JSON value nests deeper than DynamoDB's 32 levels: exclude the column from the mapping");
        ITEM_HINTS.put(
                "primary key values must be under",
                "a key value is over DynamoDB's 2048-byte partition or" + " 1024-byte sort key limit");
        ITEM_HINTS.put("size of hashkey", "a partition key value is over DynamoDB's 2048-byte limit");
        ITEM_HINTS.put("size of rangekey", "a sort key value is over DynamoDB's 1024-byte limit");
        ITEM_HINTS.put("38 digits", "a number has more than DynamoDB's 38 significant digits: map the column as S");
        ITEM_HINTS.put(
                "significant digits", "a number has more than DynamoDB's 38 significant digits: map the column as S");
        ITEM_HINTS.put("number overflow", "a number is beyond DynamoDB's range (1E+126)");
        ITEM_HINTS.put("number underflow", "a number is below DynamoDB's smallest magnitude (1E-130)");
        ITEM_HINTS.put("empty string value", "a key value is empty, which DynamoDB does not accept");
    }

    private DynamoDbErrorClassifier() {}

    public static Verdict classify(Throwable failure, String table) {
        Throwable t = unwrap(failure);
        if (t instanceof ConditionalCheckFailedException) {
            return new Verdict(Kind.STALE, "table " + table + " already holds this or a newer change");
        }
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code = e.awsErrorDetails() == null
                    ? ""
                    : String.valueOf(e.awsErrorDetails().errorCode());
            String text = e.awsErrorDetails() == null
                    ? String.valueOf(e.getMessage())
                    : String.valueOf(e.awsErrorDetails().errorMessage());
            if ("ConditionalCheckFailedException".equals(code)) {
                return new Verdict(Kind.STALE, "table " + table + " already holds this or a newer change");
            }
            if (e.isThrottlingException() || THROTTLING.contains(code) || e.statusCode() >= 500) {
                return new Verdict(Kind.RETRYABLE, code + " (" + e.statusCode() + ") on table " + table + ": " + text);
            }
            if ("ResourceNotFoundException".equals(code)) {
                return new Verdict(
                        Kind.FATAL,
                        "DynamoDB table " + table + " does not exist (or is in another region"
                                + " or account): create it with the key attributes of its mapping, or fix the target table name"
                                + " in the DynamoDB mapping (" + text + ")");
            }
            if (ACCESS.contains(code) || e.statusCode() == 403) {
                return new Verdict(
                        Kind.FATAL,
                        "DynamoDB refused access to table " + table + " (" + code + "): grant"
                                + " the job's role dynamodb:PutItem, dynamodb:DeleteItem and dynamodb:Scan (for TRUNCATE) on it, or fix the credentials ("
                                + text + ")");
            }
            if ("ValidationException".equals(code)) {
                return validation(text, table);
            }
            return new Verdict(
                    Kind.FATAL,
                    "DynamoDB write to table " + table + " failed with " + code + " (" + e.statusCode() + "): " + text);
        }
        if (t instanceof SdkClientException || t instanceof IOException) {
            return new Verdict(Kind.RETRYABLE, "could not reach DynamoDB for table " + table + ": " + t.getMessage());
        }
        return new Verdict(Kind.FATAL, "DynamoDB write to table " + table + " failed: " + t);
    }

    /**
     * A ValidationException is about this one item unless its text is one that every write of a wrong
     * mapping gets (the start-up check of the key schema catches those before the job runs).
     */
    private static Verdict validation(String text, String table) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String everyWrite : EVERY_WRITE) {
            if (lower.contains(everyWrite)) {
                return new Verdict(
                        Kind.FATAL,
                        "DynamoDB rejected a write to table " + table + " as invalid: " + text
                                + ". Every write would fail the same way: make the mapping's key attributes (names and types)"
                                + " match the table's key schema (DescribeTable shows it), or recreate the table with the"
                                + " mapping's keys");
            }
        }
        for (Map.Entry<String, String> hint : ITEM_HINTS.entrySet()) {
            if (lower.contains(hint.getKey())) {
                return new Verdict(
                        Kind.DEAD_LETTER,
                        "DynamoDB refused the item for table " + table + ": " + text + " (" + hint.getValue() + ")");
            }
        }
        return new Verdict(Kind.DEAD_LETTER, "DynamoDB refused the item for table " + table + ": " + text);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
