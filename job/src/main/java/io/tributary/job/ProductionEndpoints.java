package io.tributary.job;

import io.tributary.job.config.EventLogOptions;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.KeyColumns;
import io.tributary.job.config.SnapshotModes;
import io.tributary.job.config.SourceOptions;
import io.tributary.postgres.PostgresCapturedTable;
import io.tributary.postgres.PostgresPreflight;
import io.tributary.postgres.PostgresSlotLag;
import io.tributary.postgres.PostgresSourceSettings;
import io.tributary.postgres.PostgresSources;
import io.tributary.s3.ParquetEventLogSink;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.dynamodb.DynamoDbChangeSink;
import io.tributary.dynamodb.DynamoDbClientProvider;
import io.tributary.dynamodb.DynamoDbClientSettings;
import io.tributary.dynamodb.DynamoDbJournalSettings;
import io.tributary.dynamodb.DynamoDbJournalSink;
import io.tributary.dynamodb.DynamoDbSinkSettings;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.job.config.ConfigException;
import io.tributary.job.config.DynamoDbJournalOptions;
import io.tributary.job.config.DynamoDbOptions;
import io.tributary.job.config.KinesisOptions;
import io.tributary.kinesis.ChangeEventJsonSerializer;
import io.tributary.kinesis.KinesisChangeSink;
import io.tributary.kinesis.KinesisRecordFormat;
import io.tributary.kinesis.KinesisSinkSettings;
import io.tributary.s3.FileSystemDeadLetterHandler;

import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the real endpoints from configuration; runs the destinations' and the database's start-up checks first. */
public final class ProductionEndpoints {
    private ProductionEndpoints() {}

    /**
     * The source settings the configuration describes: a password given in the configuration or the environment
     * (never logged), or the properties of the plugin that reads a secret or makes an IAM token per connection.
     */
    public static PostgresSourceSettings sourceSettings(JobConfig config) {
        Configuration s = config.source();
        PostgresSourceSettings.Builder b = PostgresSourceSettings.builder()
                .hostname(s.get(SourceOptions.HOSTNAME))
                .port(s.get(SourceOptions.PORT))
                .database(s.get(SourceOptions.DATABASE))
                .username(s.get(SourceOptions.USERNAME))
                .password(config.databasePassword())
                .driverProperties(config.databaseAuthProperties())
                .slotName(s.get(SourceOptions.SLOT_NAME))
                .publicationName(s.get(SourceOptions.PUBLICATION_NAME))
                .tableInclude(s.get(SourceOptions.TABLES_INCLUDE))
                .tableExclude(s.get(SourceOptions.TABLES_EXCLUDE))
                .excludedColumns(s.get(SourceOptions.COLUMNS_EXCLUDE))
                .snapshotMode(SnapshotModes.resolve(s))
                .splitSize(s.get(SourceOptions.SNAPSHOT_SPLIT_SIZE))
                .heartbeatInterval(s.get(SourceOptions.HEARTBEAT_INTERVAL))
                .connectMaxRetries(s.get(SourceOptions.CONNECT_MAX_RETRIES))
                .connectTimeout(s.get(SourceOptions.CONNECT_TIMEOUT))
                .sslMode(config.databaseSslMode())
                .sslRootCert(config.databaseSslRootCert());
        KeyColumns.parse(s.get(SourceOptions.KEY_COLUMNS)).forEach(b::keyColumns);
        return b.build();
    }

    /**
     * Checks that every read-model mapping names a captured table ({@link DynamoDbMappingScope}: the patterns
     * first, before anything is touched; after the preflight, that the table exists), the destinations
     * ({@link DestinationChecks}: tables, stream, writable paths), then the
     * database (reachable, logical WAL, replication permission, keys of every captured table; this
     * creates the publication), and builds the source and sinks; fails with a message that says what
     * to fix. The destinations go first so a destination error leaves the database untouched.
     */
    public static Endpoints create(JobConfig config) {
        PostgresSourceSettings settings = sourceSettings(config);
        boolean readModel = config.dynamoDb().get(DynamoDbOptions.ENABLED);
        if (readModel) {
            DynamoDbMappingScope.check(dynamoDbMappings(config), settings::captures,
                    "no pattern of 'tables.include' minus 'tables.exclude' of 'source.postgres' matches it");
        }
        DestinationChecks.run(config);
        List<PostgresCapturedTable> tables = PostgresPreflight.run(settings);
        if (readModel) {
            // After the preflight: only it knows which tables exist. It has set the publication's tables, which
            // depend on the patterns alone, so stopping here leaves the database as a corrected start-up wants it.
            Set<TableId> present = tables.stream().map(PostgresCapturedTable::table).collect(Collectors.toSet());
            DynamoDbMappingScope.check(dynamoDbMappings(config), present::contains,
                    "it matches 'tables.include' but no such table exists in database '" + settings.database() + "'");
        }
        Configuration log = config.eventLog();
        boolean logOn = log.get(EventLogOptions.ENABLED);
        Endpoints.Builder endpoints = Endpoints.builder(PostgresSources.create(settings, tables));
        if (logOn) {
            endpoints.eventLog(ParquetEventLogSink.create(log.get(EventLogOptions.PATH)))
                    .eventLogDeadLetters(deadLetterHandler(config));
        }
        if (config.kinesis().get(KinesisOptions.ENABLED)) {
            endpoints.kinesis(kinesisSink(config));
        }
        if (config.dynamoDb().get(DynamoDbOptions.ENABLED)) {
            endpoints.dynamoDb(dynamoDbSink(config));
        }
        if (config.journal().get(DynamoDbJournalOptions.ENABLED)) {
            endpoints.journal(journalSink(config));
        }
        return endpoints.build().withSlotLag(new PostgresSlotLag(settings));
    }

    /** The dead-letter files every destination writes: the whole event in the default Kinesis JSON format. */
    public static FileSystemDeadLetterHandler deadLetterHandler(JobConfig config) {
        return new FileSystemDeadLetterHandler(config.deadLetterPath(),
                new ChangeEventJsonSerializer(KinesisRecordFormat.DEFAULT));
    }

    public static KinesisChangeSink kinesisSink(JobConfig config) {
        return KinesisChangeSink.builder()
                .settings(kinesisSettings(config))
                .deadLetterHandler(deadLetterHandler(config))
                .build();
    }

    public static KinesisSinkSettings kinesisSettings(JobConfig config) {
        return kinesisSettings(config, AwsRegionResolver.runtime());
    }

    /** The Kinesis settings, the region configured or else found by {@code regions} (the job's own). */
    public static KinesisSinkSettings kinesisSettings(JobConfig config, AwsRegionResolver regions) {
        Configuration k = config.kinesis();
        KinesisSinkSettings.Builder settings = KinesisSinkSettings.builder()
                .streamName(k.get(KinesisOptions.STREAM))
                .region(region(regions, k.get(KinesisOptions.REGION), "sink.kinesis"))
                .format(k.get(KinesisOptions.FORMAT).equals("dms") ? KinesisRecordFormat.DMS : KinesisRecordFormat.DEFAULT)
                .maxInFlightRequests(k.get(KinesisOptions.MAX_IN_FLIGHT))
                .maxBufferedRecords(k.get(KinesisOptions.MAX_BUFFERED))
                .aggregation(k.get(KinesisOptions.AGGREGATION) ? k.get(KinesisOptions.AGGREGATION_BUCKETS) : 0)
                .backoff(Duration.ofMillis(100), k.get(KinesisOptions.MAX_BACKOFF));
        if (k.get(KinesisOptions.EMULATOR)) {
            settings.emulator(k.get(KinesisOptions.ENDPOINT));
        } else if (k.get(KinesisOptions.ENDPOINT) != null) {
            settings.endpoint(k.get(KinesisOptions.ENDPOINT));
        }
        return settings.build();
    }

    public static DynamoDbChangeSink dynamoDbSink(JobConfig config) {
        Configuration d = config.dynamoDb();
        return DynamoDbChangeSink.builder()
                .settings(DynamoDbSinkSettings.builder()
                        .mappings(dynamoDbMappings(config))
                        .maxInFlightRequests(d.get(DynamoDbOptions.MAX_IN_FLIGHT))
                        .maxBufferedItems(d.get(DynamoDbOptions.MAX_BUFFERED))
                        .maxBufferTime(d.get(DynamoDbOptions.MAX_BUFFER_TIME))
                        .maxRetries(d.get(DynamoDbOptions.MAX_RETRIES))
                        .build())
                .clientProvider(DynamoDbClientProvider.of(dynamoDbClientSettings(config)))
                .deadLetterHandler(deadLetterHandler(config))
                .build();
    }

    /** The event journal of property group {@code sink.dynamodb-journal}, with the client of {@code sink.dynamodb}. */
    public static DynamoDbJournalSink journalSink(JobConfig config) {
        return DynamoDbJournalSink.builder()
                .settings(journalSettings(config))
                .clientProvider(DynamoDbClientProvider.of(dynamoDbClientSettings(config)))
                .deadLetterHandler(deadLetterHandler(config))
                .build();
    }

    public static DynamoDbJournalSettings journalSettings(JobConfig config) {
        Configuration j = config.journal();
        DynamoDbJournalSettings.Builder b = DynamoDbJournalSettings.builder(j.get(DynamoDbJournalOptions.TABLE))
                .rowPrefix(j.get(DynamoDbJournalOptions.ROW_PREFIX))
                .maxInFlightBatches(j.get(DynamoDbJournalOptions.MAX_IN_FLIGHT))
                .maxBufferTime(j.get(DynamoDbJournalOptions.MAX_BUFFER_TIME))
                .maxRetries(j.get(DynamoDbJournalOptions.MAX_RETRIES));
        if (j.get(DynamoDbJournalOptions.TTL) != null) {
            b.ttl(j.get(DynamoDbJournalOptions.TTL), j.get(DynamoDbJournalOptions.TTL_ATTRIBUTE));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group 'sink.dynamodb-journal': " + e.getMessage(), e);
        }
    }

    /**
     * The read model's table mappings ({@link JobConfig#dynamoDbMappingSpecs()}: the {@code sink.dynamodb.tables}
     * groups or the deprecated {@code tables} string), parsed by {@link DynamoDbTableMapping#parse}; a mapping that
     * does not parse or a table mapped twice fails with the place(s) it was configured.
     */
    public static List<DynamoDbTableMapping> dynamoDbMappings(JobConfig config) {
        List<DynamoDbTableMapping> mappings = new ArrayList<>();
        Map<TableId, String> places = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : config.dynamoDbMappingSpecs().entrySet()) {
            try {
                DynamoDbTableMapping mapping = DynamoDbTableMapping.parse(e.getValue());
                String first = places.putIfAbsent(mapping.sourceTable(), e.getKey());
                if (first != null) {
                    problems.add(mapping.sourceTable() + " is mapped twice, by " + first + " and by " + e.getKey()
                            + ": keep one");
                } else {
                    mappings.add(mapping);
                }
            } catch (RuntimeException ex) {
                problems.add(e.getKey() + ": " + ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return mappings;
    }

    /** The DynamoDB client settings of property group {@code sink.dynamodb}. */
    public static DynamoDbClientSettings dynamoDbClientSettings(JobConfig config) {
        return dynamoDbClientSettings(config, AwsRegionResolver.runtime());
    }

    /** The DynamoDB client settings, the region configured or else found by {@code regions} (the job's own). */
    public static DynamoDbClientSettings dynamoDbClientSettings(JobConfig config, AwsRegionResolver regions) {
        Configuration d = config.dynamoDb();
        DynamoDbClientSettings.Builder client = DynamoDbClientSettings.builder(
                region(regions, d.get(DynamoDbOptions.REGION), "sink.dynamodb"));
        if (d.get(DynamoDbOptions.ENDPOINT) != null) {
            client.endpoint(d.get(DynamoDbOptions.ENDPOINT));
        }
        if (d.get(DynamoDbOptions.LOCAL)) {
            client.staticCredentials("local", "local");
        }
        return client.build();
    }

    /** Resolved here, on the JobManager, so every task gets the same fixed region and a missing one fails start-up. */
    private static String region(AwsRegionResolver regions, String configured, String group) {
        try {
            return regions.resolve(configured, "'region' in property group '" + group + "'");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group '" + group + "': " + e.getMessage(), e);
        }
    }
}
