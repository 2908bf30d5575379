package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.io.IOException;
import java.util.concurrent.CompletionException;

class KinesisErrorClassifierTest {

    private static AwsServiceException aws(String code, int status) {
        return KinesisException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage("m")
                        .build())
                .build();
    }

    @Test
    void throttlingAndServerErrorsAreRetried() {
        assertThat(KinesisErrorClassifier.fatalMessage(
                        ProvisionedThroughputExceededException.builder()
                                .statusCode(400)
                                .build(),
                        "s"))
                .isNull();
        assertThat(KinesisErrorClassifier.fatalMessage(aws("LimitExceededException", 400), "s"))
                .isNull();
        assertThat(KinesisErrorClassifier.fatalMessage(aws("InternalFailure", 500), "s"))
                .isNull();
        assertThat(KinesisErrorClassifier.fatalMessage(aws("ServiceUnavailable", 503), "s"))
                .isNull();
        assertThat(KinesisErrorClassifier.fatalMessage(
                        new CompletionException(SdkClientException.create("connection reset", new IOException())), "s"))
                .isNull();
    }

    @Test
    void missingStreamAndDeniedAccessAreFatalWithWhatToFix() {
        assertThat(KinesisErrorClassifier.fatalMessage(
                        new CompletionException(ResourceNotFoundException.builder()
                                .statusCode(400)
                                .build()),
                        "changes"))
                .contains("Kinesis stream 'changes' was not found");
        assertThat(KinesisErrorClassifier.fatalMessage(aws("AccessDeniedException", 400), "changes"))
                .contains("grant the job's role kinesis:PutRecords");
        assertThat(KinesisErrorClassifier.fatalMessage(aws("KMSDisabledException", 400), "changes"))
                .contains("KMSDisabledException");
        assertThat(KinesisErrorClassifier.fatalMessage(
                        SdkClientException.create("Unable to load credentials from any of the providers"), "changes"))
                .contains("no AWS credentials");
    }

    @Test
    void entryErrorsFromPutRecordsAreRetried() {
        assertThat(KinesisErrorClassifier.isRetryableEntryError("ProvisionedThroughputExceededException"))
                .isTrue();
        assertThat(KinesisErrorClassifier.isRetryableEntryError("InternalFailure"))
                .isTrue();
        assertThat(KinesisErrorClassifier.isRetryableEntryError("KMSAccessDeniedException"))
                .isFalse();
    }
}
