package io.tributary.job;

import io.tributary.deadletter.FileSystemDeadLetterHandler;
import io.tributary.dynamodb.DynamoDbChangeSink;
import io.tributary.dynamodb.DynamoDbClientProvider;
import io.tributary.dynamodb.DynamoDbJournalSink;
import io.tributary.event.TableId;
import io.tributary.job.config.JobConfig;
import io.tributary.kinesis.ChangeEventJsonSerializer;
import io.tributary.kinesis.KinesisChangeSink;
import io.tributary.kinesis.KinesisRecordFormat;
import io.tributary.postgres.PostgresCapturedTable;
import io.tributary.postgres.PostgresPreflight;
import io.tributary.postgres.PostgresSlotLag;
import io.tributary.postgres.PostgresSourceSettings;
import io.tributary.postgres.PostgresSources;
import io.tributary.s3.ParquetEventLogSink;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the real endpoints from configuration; runs the destinations' and the database's start-up checks first. */
public final class ProductionEndpoints {
    private ProductionEndpoints() {}

    /**
     * Checks that every read-model mapping names a captured table ({@link DynamoDbMappingScope}: the patterns
     * first, before anything is touched; after the preflight, that the table exists), the destinations
     * ({@link DestinationChecks}: tables, stream, writable paths), then the
     * database (reachable, logical WAL, replication permission, keys of every captured table; this
     * creates the publication), and builds the source and sinks; fails with a message that says what
     * to fix. The destinations go first so a destination error leaves the database untouched.
     */
    public static Endpoints create(JobConfig config) {
        PostgresSourceSettings settings = config.sourceSettings();
        boolean readModel = config.dynamoDbEnabled();
        if (readModel) {
            DynamoDbMappingScope.check(
                    config.dynamoDbMappings(),
                    settings::captures,
                    "no pattern of 'tables.include' minus 'tables.exclude' of 'source.postgres' matches it");
        }
        DestinationChecks.run(config);
        List<PostgresCapturedTable> tables = PostgresPreflight.run(settings);
        if (readModel) {
            // After the preflight: only it knows which tables exist. It has set the publication's tables, which
            // depend on the patterns alone, so stopping here leaves the database as a corrected start-up wants it.
            Set<TableId> present =
                    tables.stream().map(PostgresCapturedTable::table).collect(Collectors.toSet());
            DynamoDbMappingScope.check(
                    config.dynamoDbMappings(),
                    present::contains,
                    "it matches 'tables.include' but no such table exists in database '" + settings.database() + "'");
        }
        boolean logOn = config.eventLog().enabled();
        Endpoints.Builder endpoints = Endpoints.builder(PostgresSources.create(settings, tables));
        if (logOn) {
            endpoints
                    .eventLog(ParquetEventLogSink.create(config.eventLog().path()))
                    .eventLogDeadLetters(deadLetterHandler(config));
        }
        if (config.kinesisEnabled()) {
            endpoints.kinesis(kinesisSink(config));
        }
        if (config.dynamoDbEnabled()) {
            endpoints.dynamoDb(dynamoDbSink(config));
        }
        if (config.journalEnabled()) {
            endpoints.journal(journalSink(config));
        }
        return endpoints.build().withSlotLag(new PostgresSlotLag(settings));
    }

    /** The dead-letter files every destination writes: the whole event in the default Kinesis JSON format. */
    public static FileSystemDeadLetterHandler deadLetterHandler(JobConfig config) {
        return new FileSystemDeadLetterHandler(
                config.deadLetterPath(), new ChangeEventJsonSerializer(KinesisRecordFormat.DEFAULT));
    }

    public static KinesisChangeSink kinesisSink(JobConfig config) {
        return KinesisChangeSink.builder()
                .settings(config.kinesisSettings())
                .deadLetterHandler(deadLetterHandler(config))
                .build();
    }

    public static DynamoDbChangeSink dynamoDbSink(JobConfig config) {
        return DynamoDbChangeSink.builder()
                .settings(config.dynamoDbSinkSettings())
                .clientProvider(DynamoDbClientProvider.of(config.dynamoDbClientSettings()))
                .deadLetterHandler(deadLetterHandler(config))
                .build();
    }

    /** The event journal of property group {@code sink.dynamodb-journal}, with the client of {@code sink.dynamodb}. */
    public static DynamoDbJournalSink journalSink(JobConfig config) {
        return DynamoDbJournalSink.builder()
                .settings(config.journalSettings())
                .clientProvider(DynamoDbClientProvider.of(config.dynamoDbClientSettings()))
                .deadLetterHandler(deadLetterHandler(config))
                .build();
    }
}
