package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Property group {@code sink.dynamodb}: the read model. */
public final class DynamoDbOptions {
    public static final OptionGroup GROUP =
            new OptionGroup("sink.dynamodb", "One item per source row, converging to its latest committed state.");

    public static final ConfigOption<Boolean> ENABLED = GROUP.add(ConfigOptions.key("enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Write the DynamoDB read model."));
    public static final ConfigOption<String> TABLES = GROUP.whenTooLong(
            GROUP.add(ConfigOptions.key("tables")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Deprecated: use the property groups sink.dynamodb.tables (one key per table; this one"
                                    + " value holds at most 2,048 characters, about 25 tables). Mappings separated by '|':"
                                    + " schema.table=target;partition=col[,col]:S|N|B[;sort=col:S|N|B]"
                                    + "[;exclude=a,b][;rename=a:b][;tombstone][;truncate=delete|dead-letter]. A TRUNCATE of the"
                                    + " source table deletes every item older than it (truncate=delete, the default: a Scan of the"
                                    + " table per sink subtask; tombstones in tombstone mode) or keeps them and writes a dead letter"
                                    + " (truncate=dead-letter). Not together with the sink.dynamodb.tables groups.")),
            "move the mappings into property group '" + DynamoDbMappingGroups.ID + "', one key per table (key"
                    + " schema.table, value target;partition=…), and remove 'tables'");
    public static final ConfigOption<String> REGION = GROUP.add(ConfigOptions.key("region")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "AWS region of the tables. " + KinesisOptions.RUNTIME_REGION.replace("a stream", "tables")));
    public static final ConfigOption<String> ENDPOINT = GROUP.add(ConfigOptions.key("endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint override (VPC endpoint, DynamoDB Local)."));
    public static final ConfigOption<Boolean> LOCAL = GROUP.add(ConfigOptions.key("local")
            .booleanType()
            .defaultValue(false)
            .withDescription("DynamoDB Local: dummy static credentials. Never on AWS."));
    public static final ConfigOption<Integer> MAX_IN_FLIGHT = GROUP.add(ConfigOptions.key("max-in-flight-requests")
            .intType()
            .defaultValue(50)
            .withDescription("Conditional writes in flight per writer."));
    public static final ConfigOption<Integer> MAX_BUFFERED = GROUP.add(ConfigOptions.key("max-buffered-items")
            .intType()
            .defaultValue(2000)
            .withDescription("Distinct keys buffered (coalesced) per writer before a flush."));
    public static final ConfigOption<Duration> MAX_BUFFER_TIME = GROUP.add(ConfigOptions.key("max-buffer-time")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("Longest time a change waits to be written."));
    public static final ConfigOption<Integer> MAX_RETRIES = GROUP.add(ConfigOptions.key("max-retries")
            .intType()
            .defaultValue(20)
            .withDescription("Retries of a throttled or failed write before the job fails."));

    private DynamoDbOptions() {}
}
