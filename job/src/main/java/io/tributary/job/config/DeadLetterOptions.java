package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Property group {@code dead-letters}: where changes a destination cannot take are kept. */
public final class DeadLetterOptions {
    public static final OptionGroup GROUP = new OptionGroup(
            "dead-letters",
            "Changes a destination cannot take (over a size limit, unmappable), kept with cause and position.");

    public static final ConfigOption<String> PATH = GROUP.add(ConfigOptions.key("path")
            .stringType()
            .noDefaultValue()
            .withDescription("Base path (s3://… or file://…); one JSON file per letter, named by destination and "
                    + "event id. Default: the event log path followed by '-dead-letters'."));

    private DeadLetterOptions() {}
}
