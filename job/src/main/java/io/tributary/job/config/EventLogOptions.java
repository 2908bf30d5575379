package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Property group {@code sink.eventlog}: the Parquet event log. */
public final class EventLogOptions {
    public static final OptionGroup GROUP =
            new OptionGroup("sink.eventlog", "The partitioned Parquet event log (the event store Athena queries).");

    public static final ConfigOption<Boolean> ENABLED = GROUP.add(
            ConfigOptions.key("enabled").booleanType().defaultValue(true).withDescription("Write the event log."));
    public static final ConfigOption<String> PATH = GROUP.add(ConfigOptions.key("path")
            .stringType()
            .noDefaultValue()
            .withDescription("Base path: s3://bucket/prefix on AWS, file:///… locally. Required when enabled."));

    private EventLogOptions() {}
}
