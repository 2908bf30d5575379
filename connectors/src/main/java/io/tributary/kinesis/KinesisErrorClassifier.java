package io.tributary.kinesis;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides whether a failed PutRecords call, or one failed entry of it, is worth retrying.
 *
 * <p>Fatal: the stream does not exist, access is denied, the request is invalid, the KMS key is
 * unusable, credentials are missing. Retrying cannot fix these, so the job fails with a message
 * that says what to change. Everything else (throttling, internal failures, network errors, 5xx)
 * is retried with backoff.
 */
public final class KinesisErrorClassifier {
    private static final Set<String> FATAL_CODES = Set.of(
            "ResourceNotFoundException",
            "AccessDeniedException",
            "InvalidArgumentException",
            "ValidationException",
            "KMSAccessDeniedException",
            "KMSDisabledException",
            "KMSInvalidStateException",
            "KMSNotFoundException",
            "KMSOptInRequired",
            "UnrecognizedClientException",
            "InvalidSignatureException",
            "MissingAuthenticationTokenException",
            "IncompleteSignature",
            "ExpiredTokenException");

    private KinesisErrorClassifier() {}

    /** True if an entry that failed with {@code errorCode} inside a PutRecords response may be retried. */
    public static boolean isRetryableEntryError(String errorCode) {
        return errorCode == null || !FATAL_CODES.contains(errorCode);
    }

    /** Null if {@code error} is retryable, else the message the job fails with. */
    public static String fatalMessage(Throwable error, String streamName) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException aws = (AwsServiceException) e;
            String code = errorCode(aws);
            if ("ResourceNotFoundException".equals(code)) {
                return "Kinesis stream '" + streamName + "' was not found: create it, or fix the stream name"
                        + " and region in the kinesis configuration (" + aws.getMessage() + ")";
            }
            if (code != null
                    && (code.contains("AccessDenied")
                            || code.contains("Signature")
                            || code.equals("UnrecognizedClientException")
                            || code.equals("ExpiredTokenException")
                            || code.equals("MissingAuthenticationTokenException"))) {
                return "Kinesis refused access to stream '" + streamName + "': grant the job's role"
                        + " kinesis:PutRecords and kinesis:ListShards on it, or fix its credentials ("
                        + aws.getMessage() + ")";
            }
            if (code != null && FATAL_CODES.contains(code)) {
                return "Kinesis rejected records for stream '" + streamName + "' with " + code
                        + " and retrying will not help: " + aws.getMessage();
            }
            int status = aws.statusCode();
            if (status >= 400 && status < 500 && status != 429 && !isThrottling(code)) {
                return "Kinesis rejected a PutRecords request to '" + streamName + "' (HTTP " + status + ", " + code
                        + "): " + aws.getMessage();
            }
            return null;
        }
        if (e instanceof SdkClientException
                && e.getMessage() != null
                && e.getMessage().contains("Unable to load credentials")) {
            return "no AWS credentials for the Kinesis sink: give the job a role, or set static credentials"
                    + " for a local endpoint (" + e.getMessage() + ")";
        }
        return null;
    }

    /** The service's error code, or the exception's class name when the SDK modelled it as a class. */
    static String errorCode(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        return e.getClass() == AwsServiceException.class ? null : e.getClass().getSimpleName();
    }

    static boolean isThrottling(String code) {
        return code != null
                && (code.contains("Throughput")
                        || code.contains("Throttl")
                        || code.contains("LimitExceeded")
                        || code.equals("InternalFailure")
                        || code.equals("ServiceUnavailable"));
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
