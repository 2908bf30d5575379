package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Property group {@code job}: the job as a whole. */
public final class JobOptions {
    public static final OptionGroup GROUP = new OptionGroup("job", "The job as a whole.");

    public static final ConfigOption<String> NAME = GROUP.add(ConfigOptions.key("name")
            .stringType()
            .defaultValue("tributary")
            .withDescription("Job name shown in the Flink UI."));

    private JobOptions() {}
}
