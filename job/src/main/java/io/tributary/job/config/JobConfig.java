package io.tributary.job.config;

import io.tributary.postgres.PostgresSslMode;

import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The job's whole configuration, validated once at start-up. Only this class reads property
 * groups; everything else receives typed values. {@link #toString()} never shows the password.
 */
public final class JobConfig {
    private static final Logger LOG = LoggerFactory.getLogger(JobConfig.class);

    /** Every group the job accepts, in the order the reference table lists them. */
    public static final List<OptionGroup> GROUPS =
            List.of(JobOptions.GROUP, SourceOptions.GROUP, SequencerOptions.GROUP, EventLogOptions.GROUP,
                    KinesisOptions.GROUP, DynamoDbOptions.GROUP, DynamoDbJournalOptions.GROUP, DeadLetterOptions.GROUP);

    private final Configuration job;
    private final Configuration source;
    private final Configuration sequencer;
    private final Configuration eventLog;
    private final Configuration kinesis;
    private final Configuration dynamoDb;
    private final Configuration journal;
    private final Configuration deadLetters;
    private final PostgresSslMode sslMode;
    private final Map<String, String> dynamoDbMappingSpecs;
    private String sslRootCert;

    private JobConfig(Map<String, Configuration> validated, RunMode mode, Map<String, String> dynamoDbMappingGroups) {
        this.job = validated.get(JobOptions.GROUP.id());
        this.source = validated.get(SourceOptions.GROUP.id());
        this.sequencer = validated.get(SequencerOptions.GROUP.id());
        this.eventLog = validated.get(EventLogOptions.GROUP.id());
        this.kinesis = validated.get(KinesisOptions.GROUP.id());
        this.dynamoDb = validated.get(DynamoDbOptions.GROUP.id());
        this.journal = validated.get(DynamoDbJournalOptions.GROUP.id());
        this.deadLetters = validated.get(DeadLetterOptions.GROUP.id());
        this.sslMode = DatabaseTls.mode(source, mode);
        DatabaseTls.checkInlineRootCertificate(source);
        this.dynamoDbMappingSpecs = dynamoDbMappingSpecs(dynamoDb, dynamoDbMappingGroups);
    }

    /** The mappings of the {@code sink.dynamodb.tables} groups, else of the deprecated {@code tables} string. */
    private static Map<String, String> dynamoDbMappingSpecs(Configuration dynamoDb, Map<String, String> groups) {
        String legacy = dynamoDb.get(DynamoDbOptions.TABLES);
        if (legacy == null) {
            return Collections.unmodifiableMap(groups);
        }
        if (!groups.isEmpty()) {
            throw new ConfigException("property group 'sink.dynamodb': 'tables' and the property group(s) '"
                    + DynamoDbMappingGroups.ID + "' are both set: keep the groups (one key per table) and remove"
                    + " 'tables'");
        }
        LOG.warn("property group 'sink.dynamodb': 'tables' is deprecated (all mappings in one value of at most {}"
                + " characters); move each mapping into property group '{}' as key schema.table, value"
                + " target;partition=…", OptionGroup.MAX_VALUE_LENGTH, DynamoDbMappingGroups.ID);
        Map<String, String> specs = new LinkedHashMap<>();
        for (String spec : legacy.split("\\|")) {
            if (!spec.isBlank()) {
                specs.put("property group 'sink.dynamodb': 'tables' entry '" + spec.trim() + "'", spec.trim());
            }
        }
        return Collections.unmodifiableMap(specs);
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
     * Validates property groups: unknown groups and keys, missing and malformed values fail here. {@code mode}
     * chooses defaults that differ on the service ({@code ssl.mode}). A root certificate in a file or S3 object is
     * read by {@link #databaseSslRootCert()}, so that validating a configuration needs no S3 access.
     */
    public static JobConfig of(PropertyGroups groups, RunMode mode) {
        Map<String, OptionGroup> known = GROUPS.stream().collect(Collectors.toMap(OptionGroup::id, g -> g));
        for (String id : groups.asMap().keySet()) {
            if (!known.containsKey(id) && !DynamoDbMappingGroups.matches(id)) {
                throw new ConfigException("unknown property group '" + id + "'; known groups: "
                        + new TreeSet<>(known.keySet()) + " and the read model's mappings " + DynamoDbMappingGroups.ID
                        + ", " + DynamoDbMappingGroups.ID + ".2, " + DynamoDbMappingGroups.ID + ".3, …");
            }
        }
        Map<String, Configuration> validated = GROUPS.stream()
                .collect(Collectors.toMap(OptionGroup::id, g -> g.validate(groups.group(g.id()))));
        JobConfig config = new JobConfig(validated, mode, DynamoDbMappingGroups.read(groups));
        config.checkCrossGroup();
        return config;
    }

    private void checkCrossGroup() {
        if (eventLog.get(EventLogOptions.ENABLED) && eventLog.get(EventLogOptions.PATH) == null) {
            throw new ConfigException("property group 'sink.eventlog': 'path' is required while the event log is "
                    + "enabled (s3://bucket/prefix, or file:///dir for local runs)");
        }
        int port = source.get(SourceOptions.PORT);
        if (port < 1 || port > 65535) {
            throw new ConfigException("property group 'source.postgres': 'port' = " + port + " is not a TCP port");
        }
        if (source.get(SourceOptions.SNAPSHOT_SPLIT_SIZE) < 1) {
            throw new ConfigException("property group 'source.postgres': 'snapshot.split-size' must be at least 1");
        }
        if (source.get(SourceOptions.CONNECT_MAX_RETRIES) < 0) {
            throw new ConfigException("property group 'source.postgres': 'connect.max-retries' must be 0 or more");
        }
        if (sequencer.get(SequencerOptions.STATE_TTL).isNegative()) {
            throw new ConfigException("property group 'sequencer': 'state.ttl' must not be negative");
        }
        KeyColumns.parse(source.get(SourceOptions.KEY_COLUMNS));
        SnapshotModes.resolve(source);
        DatabasePassword.check(source, RunMode.LOCAL);
        int buckets = kinesis.get(KinesisOptions.AGGREGATION_BUCKETS);
        if (buckets < 1 || buckets > 65_536) {
            throw new ConfigException("property group 'sink.kinesis': 'aggregation.buckets' = " + buckets
                    + ": use 1..65536 (at least the stream's shard count)");
        }
        if (kinesis.get(KinesisOptions.ENABLED) && kinesis.get(KinesisOptions.STREAM) == null) {
            throw new ConfigException("property group 'sink.kinesis': 'stream.name' is required while the stream is enabled");
        }
        String format = kinesis.get(KinesisOptions.FORMAT);
        if (!format.equals("default") && !format.equals("dms")) {
            throw new ConfigException("property group 'sink.kinesis': 'format' = '" + format + "': use 'default' or 'dms'");
        }
        if (dynamoDb.get(DynamoDbOptions.ENABLED) && dynamoDbMappingSpecs.isEmpty()) {
            throw new ConfigException("property group 'sink.dynamodb': the read model is enabled but maps no table: add"
                    + " property group '" + DynamoDbMappingGroups.ID + "' with one key per table (schema.table ="
                    + " target;partition=col:S|N|B)");
        }
        if (deadLetterPath() == null && (kinesis.get(KinesisOptions.ENABLED) || dynamoDb.get(DynamoDbOptions.ENABLED))) {
            throw new ConfigException("property group 'dead-letters': 'path' is required when the event log is off and"
                    + " Kinesis or DynamoDB is on (a change they cannot take must be kept somewhere)");
        }
        if (journal.get(DynamoDbJournalOptions.ENABLED)) {
            if (deadLetterPath() == null) {
                throw new ConfigException("property group 'dead-letters': 'path' is required when the event log is off"
                        + " and the DynamoDB journal is on (a change over 400 KB must be kept somewhere)");
            }
            if (journal.get(DynamoDbJournalOptions.TABLE).isBlank()) {
                throw new ConfigException("property group 'sink.dynamodb-journal': 'table' must name the journal table");
            }
            if (journal.get(DynamoDbJournalOptions.MAX_IN_FLIGHT) < 1 || journal.get(DynamoDbJournalOptions.MAX_RETRIES) < 0) {
                throw new ConfigException("property group 'sink.dynamodb-journal': 'max-in-flight-batches' must be at"
                        + " least 1 and 'max-retries' 0 or more");
            }
        }
    }

    public Configuration kinesis() {
        return kinesis;
    }

    public Configuration dynamoDb() {
        return dynamoDb;
    }

    /**
     * The read model's mappings as written, each under the place it was configured (for messages): from the
     * {@code sink.dynamodb.tables} groups ({@link DynamoDbMappingGroups}), or from the deprecated {@code tables}
     * string of {@code sink.dynamodb}. Both set is rejected at validation.
     */
    public Map<String, String> dynamoDbMappingSpecs() {
        return dynamoDbMappingSpecs;
    }

    /** The {@code sink.dynamodb-journal} group, to read with {@link DynamoDbJournalOptions} keys. */
    public Configuration journal() {
        return journal;
    }

    /** Where dead letters go: {@code dead-letters.path}, else beside the event log; null if neither is set. */
    public String deadLetterPath() {
        String path = deadLetters.get(DeadLetterOptions.PATH);
        if (path != null) {
            return path;
        }
        String log = eventLog.get(EventLogOptions.ENABLED) ? eventLog.get(EventLogOptions.PATH) : null;
        return log == null ? null : log.replaceAll("/+$", "") + "-dead-letters";
    }

    public String jobName() {
        return job.get(JobOptions.NAME);
    }

    /** The {@code source.postgres} group, to read with {@link SourceOptions} keys. */
    public Configuration source() {
        return source;
    }

    /**
     * The database password: {@code password} (local runs), else the environment variable named by
     * {@code password.env}; null when an authentication plugin reads it at connection time
     * ({@code password.secret-arn}, {@code auth.mode = iam}: see {@link #databaseAuthProperties()}).
     */
    public String databasePassword() {
        return DatabasePassword.resolve(source, System::getenv);
    }

    /** The pgjdbc properties of the authentication plugin (Secrets Manager or IAM), or an empty map. */
    public Map<String, String> databaseAuthProperties() {
        return DatabasePassword.authProperties(source, io.tributary.aws.AwsRegionResolver.runtime());
    }

    /** TLS to the database: {@code ssl.mode}, or its default for the run mode ({@link DatabaseTls}). */
    public PostgresSslMode databaseSslMode() {
        return sslMode;
    }

    /**
     * The root certificates of {@code ssl.root-cert} as PEM text, read once (from a file or S3 where the job is
     * built: the JobManager); null: none set, or the JVM's trust store.
     */
    public synchronized String databaseSslRootCert() {
        if (sslRootCert == null) {
            sslRootCert = DatabaseTls.rootCertificate(source);
        }
        return sslRootCert;
    }

    public Configuration sequencer() {
        return sequencer;
    }

    public Configuration eventLog() {
        return eventLog;
    }

    @Override
    public String toString() {
        return "JobConfig{job=" + jobName()
                + ", source=" + source.get(SourceOptions.USERNAME) + "@" + source.get(SourceOptions.HOSTNAME) + ":"
                + source.get(SourceOptions.PORT) + "/" + source.get(SourceOptions.DATABASE)
                + ", tables=" + source.get(SourceOptions.TABLES_INCLUDE)
                + ", eventLog=" + (eventLog.get(EventLogOptions.ENABLED) ? eventLog.get(EventLogOptions.PATH) : "off")
                + ", kinesis=" + (kinesis.get(KinesisOptions.ENABLED) ? kinesis.get(KinesisOptions.STREAM) : "off")
                + ", dynamodb=" + (dynamoDb.get(DynamoDbOptions.ENABLED) ? "on" : "off")
                + ", journal=" + (journal.get(DynamoDbJournalOptions.ENABLED) ? journal.get(DynamoDbJournalOptions.TABLE) : "off")
                + "}";
    }
}
