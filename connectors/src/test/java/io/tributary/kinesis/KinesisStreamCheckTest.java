package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The change stream's start-up check against a fake DescribeStreamSummary. */
class KinesisStreamCheckTest {
    private static final KinesisSinkSettings SETTINGS = KinesisSinkSettings.builder()
            .streamName("changes")
            .region("eu-west-1")
            .build();

    /** Answers with a stream of the given status, or fails with the given error. */
    static final class FakeStream implements KinesisAsyncClient {
        final StreamStatus status;
        final RuntimeException failure;
        String asked;
        boolean closed;

        FakeStream(StreamStatus status, RuntimeException failure) {
            this.status = status;
            this.failure = failure;
        }

        @Override
        public CompletableFuture<DescribeStreamSummaryResponse> describeStreamSummary(
                DescribeStreamSummaryRequest request) {
            asked = request.streamName();
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            return CompletableFuture.completedFuture(DescribeStreamSummaryResponse.builder()
                    .streamDescriptionSummary(StreamDescriptionSummary.builder()
                            .streamName(asked)
                            .streamStatus(status)
                            .build())
                    .build());
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static Optional<String> check(FakeStream fake) {
        return KinesisStreamCheck.run(SETTINGS, () -> fake);
    }

    @Test
    void activeOrUpdatingStreamPasses() {
        FakeStream fake = new FakeStream(StreamStatus.ACTIVE, null);
        assertThat(check(fake)).isEmpty();
        assertThat(fake.asked).isEqualTo("changes");
        assertThat(fake.closed).isTrue();
        assertThat(check(new FakeStream(StreamStatus.UPDATING, null))).isEmpty();
    }

    @Test
    void missingStreamSaysHowToCreateIt() {
        FakeStream fake = new FakeStream(
                null,
                ResourceNotFoundException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ResourceNotFoundException")
                                .errorMessage("Stream changes under account 000000000000 not found.")
                                .build())
                        .build());
        assertThat(check(fake))
                .get()
                .asString()
                .contains("Kinesis stream changes")
                .contains("does not exist")
                .contains("aws kinesis create-stream --stream-name changes")
                .contains("'sink.kinesis'");
    }

    @Test
    void streamBeingCreatedOrDeletedIsReported() {
        assertThat(check(new FakeStream(StreamStatus.CREATING, null)))
                .get()
                .asString()
                .contains("is CREATING, not ACTIVE");
        assertThat(check(new FakeStream(StreamStatus.DELETING, null)))
                .get()
                .asString()
                .contains("is DELETING");
    }

    @Test
    void refusedCredentialsSayWhichPermissions() {
        FakeStream fake = new FakeStream(
                null,
                KinesisException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("AccessDeniedException")
                                .errorMessage("not authorized to perform: kinesis:DescribeStreamSummary")
                                .build())
                        .build());
        assertThat(check(fake))
                .get()
                .asString()
                .contains("refused the job's credentials")
                .contains("kinesis:DescribeStreamSummary and kinesis:PutRecords");
    }
}
