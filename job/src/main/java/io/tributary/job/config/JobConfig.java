package io.tributary.job.config;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.dynamodb.DynamoDbClientSettings;
import io.tributary.dynamodb.DynamoDbJournalSettings;
import io.tributary.dynamodb.DynamoDbSinkSettings;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.kinesis.KinesisRecordFormat;
import io.tributary.kinesis.KinesisSinkSettings;
import io.tributary.postgres.PostgresSourceSettings;
import io.tributary.postgres.PostgresSslMode;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The job's whole configuration, validated once at start-up into typed settings. Only this package reads property
 * groups; everything else receives the settings built here. What needs the environment or the network (the
 * password from an environment variable, a root certificate in S3, the region the job runs in) is read when asked
 * for, where the job is built; its syntax is checked here. {@link #toString()} never shows the password.
 */
public final class JobConfig {
    /** Every group the streaming job accepts, in the order the reference table lists them. */
    public static final List<OptionGroup> GROUPS = List.of(
            JobOptions.GROUP,
            SourceOptions.GROUP,
            SequencerOptions.GROUP,
            EventLogOptions.GROUP,
            KinesisOptions.GROUP,
            DynamoDbOptions.GROUP,
            DynamoDbJournalOptions.GROUP,
            DeadLetterOptions.GROUP);

    /** The replay's group ({@code io.tributary.job.replay.ReplayOptions}): in the same file, read only by the replay. */
    public static final String REPLAY_GROUP = "replay";

    /** Any region: the Kinesis settings' checks do not depend on it; the real one is resolved where the job is built. */
    private static final String ANY_REGION = "eu-west-1";

    private final String jobName;
    private final SourceGroup source;
    private final Duration sequencerStateTtl;
    private final EventLogSettings eventLog;
    private final Configuration kinesis;
    private final KinesisRecordFormat kinesisFormat;
    private final Configuration dynamoDb;
    private final List<DynamoDbTableMapping> dynamoDbMappings;
    private final DynamoDbSinkSettings dynamoDbSinkSettings;
    private final boolean journalEnabled;
    private final DynamoDbJournalSettings journalSettings;
    private final String deadLetterPath;

    private JobConfig(Map<String, Configuration> validated, RunMode mode, Map<String, String> dynamoDbMappingGroups) {
        this.jobName = validated.get(JobOptions.GROUP.id()).get(JobOptions.NAME);
        this.source = new SourceGroup(validated.get(SourceOptions.GROUP.id()), mode);
        this.sequencerStateTtl = validated.get(SequencerOptions.GROUP.id()).get(SequencerOptions.STATE_TTL);
        if (sequencerStateTtl.isNegative()) {
            throw new ConfigException("property group 'sequencer': 'state.ttl' must not be negative");
        }
        Configuration log = validated.get(EventLogOptions.GROUP.id());
        this.eventLog = new EventLogSettings(log.get(EventLogOptions.ENABLED), log.get(EventLogOptions.PATH));
        if (eventLog.enabled() && eventLog.path() == null) {
            throw new ConfigException("property group 'sink.eventlog': 'path' is required while the event log is "
                    + "enabled (s3://bucket/prefix, or file:///dir for local runs)");
        }
        String deadLetters = validated.get(DeadLetterOptions.GROUP.id()).get(DeadLetterOptions.PATH);
        this.deadLetterPath = deadLetters != null ? deadLetters : eventLog.deadLetterPath();
        this.kinesis = validated.get(KinesisOptions.GROUP.id());
        this.kinesisFormat = kinesisFormat(kinesis.get(KinesisOptions.FORMAT));
        this.dynamoDb = validated.get(DynamoDbOptions.GROUP.id());
        this.dynamoDbMappings = DynamoDbMappings.parse(dynamoDb.get(DynamoDbOptions.TABLES), dynamoDbMappingGroups);
        this.dynamoDbSinkSettings = DynamoDbSettingsReader.settings(dynamoDb, dynamoDbMappings);
        Configuration journal = validated.get(DynamoDbJournalOptions.GROUP.id());
        this.journalEnabled = journal.get(DynamoDbJournalOptions.ENABLED);
        this.journalSettings = DynamoDbSettingsReader.journalSettings(journal);
        checkDestinations();
    }

    /** Reads and validates a local property-group file. */
    public static JobConfig fromFile(Path file) {
        return of(PropertyGroups.fromFile(file));
    }

    /** As {@link #of(PropertyGroups, RunMode)} for a local run. */
    public static JobConfig of(PropertyGroups groups) {
        return of(groups, RunMode.LOCAL);
    }

    /**
     * Validates property groups into typed settings: unknown groups and keys, missing and malformed values fail
     * here, before anything is built or touched. {@code mode} chooses defaults that differ on the service
     * ({@code ssl.mode}) and refuses a plain {@code password} there. A root certificate in a file or S3 object is
     * read by {@link #databaseSslRootCert()}, so that validating a configuration needs no S3 access.
     */
    public static JobConfig of(PropertyGroups groups, RunMode mode) {
        Map<String, OptionGroup> known = GROUPS.stream().collect(Collectors.toMap(OptionGroup::id, g -> g));
        for (String id : groups.asMap().keySet()) {
            if (!known.containsKey(id) && !DynamoDbMappingGroups.matches(id) && !id.equals(REPLAY_GROUP)) {
                throw new ConfigException("unknown property group '" + id + "'; known groups: "
                        + new TreeSet<>(known.keySet()) + ", " + REPLAY_GROUP + " and the read model's mappings "
                        + DynamoDbMappingGroups.ID + ", " + DynamoDbMappingGroups.ID + ".2, " + DynamoDbMappingGroups.ID
                        + ".3, …");
            }
        }
        Map<String, Configuration> validated =
                GROUPS.stream().collect(Collectors.toMap(OptionGroup::id, g -> g.validate(groups.group(g.id()))));
        return new JobConfig(validated, mode, DynamoDbMappingGroups.read(groups));
    }

    private void checkDestinations() {
        int buckets = kinesis.get(KinesisOptions.AGGREGATION_BUCKETS);
        if (buckets < 1 || buckets > 65_536) {
            throw new ConfigException("property group 'sink.kinesis': 'aggregation.buckets' = " + buckets
                    + ": use 1..65536 (at least the stream's shard count)");
        }
        if (kinesisEnabled()) {
            if (kinesis.get(KinesisOptions.STREAM) == null) {
                throw new ConfigException(
                        "property group 'sink.kinesis': 'stream.name' is required while the stream" + " is enabled");
            }
            kinesisSettings(
                    kinesis.get(KinesisOptions.REGION) != null ? kinesis.get(KinesisOptions.REGION) : ANY_REGION);
        }
        if (dynamoDbEnabled() && dynamoDbMappings.isEmpty()) {
            throw new ConfigException("property group 'sink.dynamodb': the read model is enabled but maps no table: add"
                    + " property group '" + DynamoDbMappingGroups.ID + "' with one key per table (schema.table ="
                    + " target;partition=col:S|N|B)");
        }
        if (deadLetterPath == null && (kinesisEnabled() || dynamoDbEnabled())) {
            throw new ConfigException("property group 'dead-letters': 'path' is required when the event log is off and"
                    + " Kinesis or DynamoDB is on (a change they cannot take must be kept somewhere)");
        }
        if (journalEnabled && deadLetterPath == null) {
            throw new ConfigException("property group 'dead-letters': 'path' is required when the event log is off"
                    + " and the DynamoDB journal is on (a change over 400 KB must be kept somewhere)");
        }
    }

    private static KinesisRecordFormat kinesisFormat(String format) {
        switch (format) {
            case "default":
                return KinesisRecordFormat.DEFAULT;
            case "dms":
                return KinesisRecordFormat.DMS;
            default:
                throw new ConfigException(
                        "property group 'sink.kinesis': 'format' = '" + format + "': use 'default' or 'dms'");
        }
    }

    public String jobName() {
        return jobName;
    }

    /** The source settings, with the password, the authentication plugin and the root certificate read now. */
    public PostgresSourceSettings sourceSettings() {
        return sourceSettings(AwsRegionResolver.runtime());
    }

    /** As {@link #sourceSettings()}, the IAM region (unless {@code auth.iam.region} is set) found by {@code regions}. */
    public PostgresSourceSettings sourceSettings(AwsRegionResolver regions) {
        return source.settings(regions);
    }

    /**
     * The database password: {@code password} (local runs), else the environment variable named by
     * {@code password.env}; null when an authentication plugin reads it at connection time
     * ({@code password.secret-arn}, {@code auth.mode = iam}: see {@link #databaseAuthProperties}).
     */
    public String databasePassword() {
        return source.password();
    }

    /** The pgjdbc properties of the authentication plugin (Secrets Manager or IAM), or an empty map. */
    public Map<String, String> databaseAuthProperties(AwsRegionResolver regions) {
        return source.authProperties(regions);
    }

    /** TLS to the database: {@code ssl.mode}, or its default for the run mode ({@link DatabaseTls}). */
    public PostgresSslMode databaseSslMode() {
        return source.sslMode();
    }

    /**
     * The root certificates of {@code ssl.root-cert} as PEM text, read once (from a file or S3 where the job is
     * built: the JobManager); null: none set, or the JVM's trust store.
     */
    public String databaseSslRootCert() {
        return source.sslRootCert();
    }

    /** How long the sequencer keeps a row's state after its last change; zero: forever. */
    public Duration sequencerStateTtl() {
        return sequencerStateTtl;
    }

    public EventLogSettings eventLog() {
        return eventLog;
    }

    /** Where dead letters go: {@code dead-letters.path}, else beside the event log; null if neither is set. */
    public String deadLetterPath() {
        return deadLetterPath;
    }

    public boolean kinesisEnabled() {
        return kinesis.get(KinesisOptions.ENABLED);
    }

    /** The stream's name ({@code stream.name}; set whenever the stream is enabled). */
    public String kinesisStreamName() {
        return kinesis.get(KinesisOptions.STREAM);
    }

    public KinesisRecordFormat kinesisFormat() {
        return kinesisFormat;
    }

    /** The Kinesis settings, in the region configured or else the one the job runs in. */
    public KinesisSinkSettings kinesisSettings() {
        return kinesisSettings(AwsRegionResolver.runtime());
    }

    /** The Kinesis settings, the region configured or else found by {@code regions} (the job's own). */
    public KinesisSinkSettings kinesisSettings(AwsRegionResolver regions) {
        return kinesisSettings(region(regions, kinesis.get(KinesisOptions.REGION), "sink.kinesis"));
    }

    private KinesisSinkSettings kinesisSettings(String region) {
        KinesisSinkSettings.Builder settings = KinesisSinkSettings.builder()
                .streamName(kinesis.get(KinesisOptions.STREAM))
                .region(region)
                .format(kinesisFormat)
                .maxInFlightRequests(kinesis.get(KinesisOptions.MAX_IN_FLIGHT))
                .maxBufferedRecords(kinesis.get(KinesisOptions.MAX_BUFFERED))
                .aggregation(
                        kinesis.get(KinesisOptions.AGGREGATION) ? kinesis.get(KinesisOptions.AGGREGATION_BUCKETS) : 0)
                .backoff(Duration.ofMillis(100), kinesis.get(KinesisOptions.MAX_BACKOFF));
        if (kinesis.get(KinesisOptions.EMULATOR)) {
            settings.emulator(kinesis.get(KinesisOptions.ENDPOINT));
        } else if (kinesis.get(KinesisOptions.ENDPOINT) != null) {
            settings.endpoint(kinesis.get(KinesisOptions.ENDPOINT));
        }
        try {
            return settings.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group 'sink.kinesis': " + e.getMessage(), e);
        }
    }

    public boolean dynamoDbEnabled() {
        return dynamoDb.get(DynamoDbOptions.ENABLED);
    }

    /**
     * The read model's table mappings, parsed from the {@code sink.dynamodb.tables} groups or the deprecated
     * {@code tables} string of {@code sink.dynamodb}.
     */
    public List<DynamoDbTableMapping> dynamoDbMappings() {
        return dynamoDbMappings;
    }

    /** The read model's writer settings: the mappings, buffering, concurrency and retries. */
    public DynamoDbSinkSettings dynamoDbSinkSettings() {
        return dynamoDbSinkSettings;
    }

    /** The DynamoDB client settings of property group {@code sink.dynamodb} (the journal's too). */
    public DynamoDbClientSettings dynamoDbClientSettings() {
        return dynamoDbClientSettings(AwsRegionResolver.runtime());
    }

    /** The DynamoDB client settings, the region configured or else found by {@code regions} (the job's own). */
    public DynamoDbClientSettings dynamoDbClientSettings(AwsRegionResolver regions) {
        return DynamoDbSettingsReader.clientSettings(
                dynamoDb, region(regions, dynamoDb.get(DynamoDbOptions.REGION), "sink.dynamodb"));
    }

    public boolean journalEnabled() {
        return journalEnabled;
    }

    /** The event journal's settings (built whether or not it is enabled: {@code replay --journal} writes it). */
    public DynamoDbJournalSettings journalSettings() {
        return journalSettings;
    }

    /** Resolved where the job is built, so every task gets the same fixed region and a missing one fails start-up. */
    private static String region(AwsRegionResolver regions, String configured, String group) {
        try {
            return regions.resolve(configured, "'region' in property group '" + group + "'");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group '" + group + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JobConfig{job=" + jobName
                + ", source=" + source
                + ", eventLog=" + eventLog
                + ", kinesis=" + (kinesisEnabled() ? kinesisStreamName() : "off")
                + ", dynamodb=" + (dynamoDbEnabled() ? "on" : "off")
                + ", journal=" + (journalEnabled ? journalSettings.table() : "off")
                + "}";
    }
}
