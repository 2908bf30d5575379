package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Property group {@code sequencer}: per-row ordering state. */
public final class SequencerOptions {
    public static final OptionGroup GROUP =
            new OptionGroup("sequencer", "Per-row state that orders changes and completes old images.");

    public static final ConfigOption<Duration> STATE_TTL = GROUP.add(ConfigOptions.key("state.ttl")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("Forget a row this long after its last change (0 = never). A forgotten row's next "
                    + "UPDATE/DELETE carries only the old image the database sends."));

    private SequencerOptions() {}
}
