package io.tributary.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbErrorClassifier.Kind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.concurrent.CompletionException;

class DynamoDbErrorClassifierTest {

    static DynamoDbException service(String code, int status, String message) {
        return (DynamoDbException) DynamoDbException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .message(message)
                .build();
    }

    @Test
    void conditionFailureIsAStaleWriteNotAnError() {
        assertThat(DynamoDbErrorClassifier.classify(
                                new CompletionException(ConditionalCheckFailedException.builder()
                                        .message("no")
                                        .build()),
                                "t")
                        .kind())
                .isEqualTo(Kind.STALE);
    }

    @Test
    void throttlingServerErrorsAndNetworkAreRetried() {
        assertThat(DynamoDbErrorClassifier.classify(
                                ProvisionedThroughputExceededException.builder()
                                        .statusCode(400)
                                        .awsErrorDetails(AwsErrorDetails.builder()
                                                .errorCode("ProvisionedThroughputExceededException")
                                                .build())
                                        .build(),
                                "t")
                        .kind())
                .isEqualTo(Kind.RETRYABLE);
        assertThat(DynamoDbErrorClassifier.classify(service("InternalServerError", 500, "boom"), "t")
                        .kind())
                .isEqualTo(Kind.RETRYABLE);
        assertThat(DynamoDbErrorClassifier.classify(service("ThrottlingException", 400, "slow down"), "t")
                        .kind())
                .isEqualTo(Kind.RETRYABLE);
        assertThat(DynamoDbErrorClassifier.classify(SdkClientException.create("connection reset"), "t")
                        .kind())
                .isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void missingTableAccessAndValidationAreFatalWithWhatToFix() {
        var missing = DynamoDbErrorClassifier.classify(
                ResourceNotFoundException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ResourceNotFoundException")
                                .errorMessage("Requested resource not found")
                                .build())
                        .build(),
                "orders");
        assertThat(missing.kind()).isEqualTo(Kind.FATAL);
        assertThat(missing.message()).contains("table orders does not exist").contains("create it");
        var denied =
                DynamoDbErrorClassifier.classify(service("AccessDeniedException", 400, "not authorized"), "orders");
        assertThat(denied.kind()).isEqualTo(Kind.FATAL);
        assertThat(denied.message()).contains("dynamodb:PutItem");
        var invalid = DynamoDbErrorClassifier.classify(
                service(
                        "ValidationException",
                        400,
                        "One or more parameter values were invalid: Type mismatch for key id expected: N actual: S"),
                "orders");
        assertThat(invalid.kind()).isEqualTo(Kind.FATAL);
        assertThat(invalid.message()).contains("key schema");
    }

    /** The texts DynamoDB Local 2.6 sends (see DynamoDbItemRejectionITCase) and the service's wording of the same. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "Item size has exceeded the maximum allowed size",
                "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit",
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty"
                        + " string value. Key: id",
                "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes",
                "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes",
                "DynamoDB only supports precision up to 38 digits",
                "Attempting to store more than 38 significant digits in a Number",
                "Number overflow. Attempting to store a number with magnitude larger than supported range",
                "Number underflow. Attempting to store a number with magnitude smaller than supported range",
                "a validation text no release has sent yet"
            })
    void itemLevelValidationGoesToTheDeadLetters(String text) {
        var verdict = DynamoDbErrorClassifier.classify(
                new CompletionException(service("ValidationException", 400, text)), "t");
        assertThat(verdict.kind()).isEqualTo(Kind.DEAD_LETTER);
        assertThat(verdict.message()).contains(text);
    }

    /** Texts every write of a wrong mapping gets: configuration errors, fatal with what to fix. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "One or more parameter values were invalid: Type mismatch for key",
                "One or more parameter values were invalid: Type mismatch for key id expected: N actual: S",
                "One of the required keys was not given a value",
                "One or more parameter values were invalid: Missing the key id in the item",
                "The provided key element does not match the schema"
            })
    void validationThatEveryWriteGetsIsFatal(String text) {
        var verdict = DynamoDbErrorClassifier.classify(service("ValidationException", 400, text), "orders");
        assertThat(verdict.kind()).isEqualTo(Kind.FATAL);
        assertThat(verdict.message()).contains(text).contains("key schema").contains("orders");
    }

    @Test
    void unknownFailuresAreFatal() {
        assertThat(DynamoDbErrorClassifier.classify(new IllegalStateException("bug"), "t")
                        .kind())
                .isEqualTo(Kind.FATAL);
    }
}
