package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/**
 * Property group {@code sink.dynamodb-journal}: the event journal. It reaches DynamoDB with the client
 * settings of {@code sink.dynamodb} (region, endpoint, local), whether or not the read model is on.
 */
public final class DynamoDbJournalOptions {
    public static final OptionGroup GROUP = new OptionGroup(
            "sink.dynamodb-journal",
            "Every change as one DynamoDB item, keyed by row and position, with indexes by table and time and by"
                    + " transaction (docs/formats/README.md, \"DynamoDB event journal\"). Uses the region, endpoint"
                    + " and local setting of `sink.dynamodb`.");

    public static final ConfigOption<Boolean> ENABLED = GROUP.add(ConfigOptions.key("enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Write the DynamoDB event journal."));
    public static final ConfigOption<String> TABLE = GROUP.add(ConfigOptions.key("table")
            .stringType()
            .defaultValue("tributary-journal")
            .withDescription("The journal table (one for all captured tables), created with the layout and both"
                    + " indexes the docs show; checked at start-up."));
    public static final ConfigOption<String> ROW_PREFIX = GROUP.add(ConfigOptions.key("row-prefix")
            .stringType()
            .defaultValue("")
            .withDescription("Put before schema.table in every row key and 'table' attribute, so several sources"
                    + " can share one journal table (e.g. 'crm:' gives 'crm:public.orders#42')."));
    public static final ConfigOption<Duration> TTL = GROUP.add(ConfigOptions.key("ttl")
            .durationType()
            .noDefaultValue()
            .withDescription("If set, each item gets 'ttl-attribute' = commit time + this, in epoch seconds, for"
                    + " DynamoDB's TTL to expire it (enable TTL on that attribute). Unset: items are kept."));
    public static final ConfigOption<String> TTL_ATTRIBUTE = GROUP.add(ConfigOptions.key("ttl-attribute")
            .stringType()
            .defaultValue("expires_at")
            .withDescription("The TTL attribute's name."));
    public static final ConfigOption<Integer> MAX_IN_FLIGHT = GROUP.add(ConfigOptions.key("max-in-flight-batches")
            .intType()
            .defaultValue(16)
            .withDescription("BatchWriteItem requests (25 items each) in flight per writer."));
    public static final ConfigOption<Duration> MAX_BUFFER_TIME = GROUP.add(ConfigOptions.key("max-buffer-time")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("Longest time a change waits for its batch to fill."));
    public static final ConfigOption<Integer> MAX_RETRIES = GROUP.add(ConfigOptions.key("max-retries")
            .intType()
            .defaultValue(20)
            .withDescription("Retries of a throttled, failed or partly unprocessed batch before the job fails."));

    private DynamoDbJournalOptions() {}
}
