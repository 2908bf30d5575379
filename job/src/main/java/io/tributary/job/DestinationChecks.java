package io.tributary.job;

import io.tributary.dynamodb.DynamoDbClientProvider;
import io.tributary.dynamodb.DynamoDbJournalTableCheck;
import io.tributary.dynamodb.DynamoDbTableCheck;
import io.tributary.job.config.JobConfig;
import io.tributary.kinesis.KinesisSdkClientProvider;
import io.tributary.kinesis.KinesisStreamCheck;
import io.tributary.s3.FileSystemPathCheck;

import java.util.ArrayList;
import java.util.List;

/**
 * The start-up checks of every enabled destination, run before the database is touched: only
 * errors that make every write fail stop the job (missing table or stream, a key schema that does
 * not match its mapping, bad credentials, an unwritable path), so they are found here; everything
 * about a single event is a dead letter at run time. Each check lives in its connector's package;
 * this class only collects their findings into one message.
 */
public final class DestinationChecks {
    private DestinationChecks() {}

    /** Runs every check the configuration calls for; throws with every problem found, each with its fix. */
    public static void run(JobConfig config) {
        List<String> problems = new ArrayList<>();
        boolean log = config.eventLog().enabled();
        boolean kinesis = config.kinesisEnabled();
        boolean dynamoDb = config.dynamoDbEnabled();
        boolean journal = config.journalEnabled();
        if (log) {
            FileSystemPathCheck.run(config.eventLog().path(), "'path' of property group 'sink.eventlog'")
                    .ifPresent(problems::add);
        }
        if ((log || kinesis || dynamoDb || journal) && config.deadLetterPath() != null) {
            FileSystemPathCheck.run(
                            config.deadLetterPath(),
                            "the dead-letter path ('path' of property group 'dead-letters', default: the event log path + '-dead-letters')")
                    .ifPresent(problems::add);
        }
        if (kinesis) {
            var settings = config.kinesisSettings();
            KinesisStreamCheck.run(settings, new KinesisSdkClientProvider(settings))
                    .ifPresent(problems::add);
        }
        if (dynamoDb) {
            problems.addAll(DynamoDbTableCheck.run(
                    config.dynamoDbMappings(), DynamoDbClientProvider.of(config.dynamoDbClientSettings())));
        }
        if (journal) {
            problems.addAll(DynamoDbJournalTableCheck.run(
                    config.journalSettings().table(), DynamoDbClientProvider.of(config.dynamoDbClientSettings())));
        }
        if (!problems.isEmpty()) {
            throw new DestinationCheckException("the job's destinations are not ready; nothing was changed in the"
                    + " database:\n - " + String.join("\n - ", problems));
        }
    }
}
