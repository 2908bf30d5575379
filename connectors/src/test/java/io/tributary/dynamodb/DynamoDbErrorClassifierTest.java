package io.tributary.dynamodb;

import io.tributary.dynamodb.DynamoDbErrorClassifier.Kind;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbErrorClassifierTest {

    static DynamoDbException service(String code, int status, String message) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status).awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).message(message).build();
    }

    @Test
    void conditionFailureIsAStaleWriteNotAnError() {
        assertThat(DynamoDbErrorClassifier.classify(new CompletionException(
                ConditionalCheckFailedException.builder().message("no").build()), "t").kind()).isEqualTo(Kind.STALE);
    }

    @Test
    void throttlingServerErrorsAndNetworkAreRetried() {
        assertThat(DynamoDbErrorClassifier.classify(ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .build(), "t").kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(DynamoDbErrorClassifier.classify(service("InternalServerError", 500, "boom"), "t").kind())
                .isEqualTo(Kind.RETRYABLE);
        assertThat(DynamoDbErrorClassifier.classify(service("ThrottlingException", 400, "slow down"), "t").kind())
                .isEqualTo(Kind.RETRYABLE);
        assertThat(DynamoDbErrorClassifier.classify(SdkClientException.create("connection reset"), "t").kind())
                .isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void missingTableAccessAndValidationAreFatalWithWhatToFix() {
        var missing = DynamoDbErrorClassifier.classify(ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                        .errorMessage("Requested resource not found").build()).build(), "orders");
        assertThat(missing.kind()).isEqualTo(Kind.FATAL);
        assertThat(missing.message()).contains("table orders does not exist").contains("create it");
        var denied = DynamoDbErrorClassifier.classify(service("AccessDeniedException", 400, "not authorized"), "orders");
        assertThat(denied.kind()).isEqualTo(Kind.FATAL);
        assertThat(denied.message()).contains("dynamodb:PutItem");
        var invalid = DynamoDbErrorClassifier.classify(service("ValidationException", 400,
                "One or more parameter values were invalid: Type mismatch for key id expected: N actual: S"), "orders");
        assertThat(invalid.kind()).isEqualTo(Kind.FATAL);
        assertThat(invalid.message()).contains("key schema");
    }

    @Test
    void itemSpecificValidationGoesToTheDeadLetters() {
        assertThat(DynamoDbErrorClassifier.classify(service("ValidationException", 400,
                "Item size has exceeded the maximum allowed size"), "t").kind()).isEqualTo(Kind.DEAD_LETTER);
    }

    @Test
    void unknownFailuresAreFatal() {
        assertThat(DynamoDbErrorClassifier.classify(new IllegalStateException("bug"), "t").kind()).isEqualTo(Kind.FATAL);
    }
}
