package io.tributary.kinesis;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The start-up check of the change stream (DescribeStreamSummary): it exists, is ACTIVE (or
 * UPDATING, which still takes writes) and the job's credentials may see it. Run before the job
 * touches the database, so a missing stream or a wrong credential fails the deployment with what to
 * fix instead of failing every PutRecords once the job runs.
 */
public final class KinesisStreamCheck {
    private static final long TIMEOUT_SECONDS = 120;

    private KinesisStreamCheck() {}

    /** What is wrong with the stream {@code settings} names, or empty; {@code clients} makes the client (a fake in tests). */
    public static Optional<String> run(KinesisSinkSettings settings, KinesisClientProvider clients) {
        String stream = settings.streamName();
        String where = "Kinesis stream " + stream + " (region " + settings.region()
                + settings.endpoint().map(e -> ", endpoint " + e).orElse("") + ")";
        try (KinesisAsyncClient client = clients.create()) {
            StreamDescriptionSummary summary = client.describeStreamSummary(b -> b.streamName(stream))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .streamDescriptionSummary();
            StreamStatus status = summary.streamStatus();
            if (status == StreamStatus.ACTIVE || status == StreamStatus.UPDATING) {
                return Optional.empty();
            }
            return Optional.of(where + " is " + summary.streamStatusAsString() + ", not ACTIVE: wait until it is ACTIVE"
                    + " (aws kinesis describe-stream-summary --stream-name " + stream + "), or create it again if it is"
                    + " being deleted");
        } catch (ExecutionException e) {
            return Optional.of(problem(where, stream, e.getCause()));
        } catch (TimeoutException e) {
            return Optional.of(
                    where + " did not answer DescribeStreamSummary within " + TIMEOUT_SECONDS + " s: check the"
                            + " network route to Kinesis (NAT gateway or VPC endpoint) and 'region'/'endpoint' in 'sink.kinesis'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + where);
        }
    }

    static String problem(String where, String stream, Throwable t) {
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code = e.awsErrorDetails() == null
                    ? ""
                    : String.valueOf(e.awsErrorDetails().errorCode());
            String text = e.awsErrorDetails() == null
                    ? String.valueOf(e.getMessage())
                    : e.awsErrorDetails().errorMessage();
            if ("ResourceNotFoundException".equals(code)) {
                return where + " does not exist: create it (aws kinesis create-stream --stream-name " + stream
                        + " --stream-mode-details StreamMode=ON_DEMAND) or fix 'stream.name' and 'region' in property"
                        + " group 'sink.kinesis' (" + text + ")";
            }
            if (e.statusCode() == 403
                    || code.contains("AccessDenied")
                    || code.contains("UnrecognizedClient")
                    || code.contains("Signature")
                    || code.contains("Token")) {
                return where + " refused the job's credentials (" + code + "): grant the job's role"
                        + " kinesis:DescribeStreamSummary and kinesis:PutRecords on the stream, or fix the credentials"
                        + " (" + text + ")";
            }
            return where + ": DescribeStreamSummary failed with " + code + " (" + e.statusCode() + "): " + text;
        }
        if (t instanceof SdkClientException) {
            return "cannot reach " + where + ": " + t.getMessage() + ": check the AWS credentials the job runs with,"
                    + " the network route to Kinesis, and 'region'/'endpoint' in property group 'sink.kinesis'";
        }
        return where + ": DescribeStreamSummary failed: " + t;
    }
}
