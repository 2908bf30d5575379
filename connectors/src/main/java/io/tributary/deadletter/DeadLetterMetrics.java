package io.tributary.deadletter;

import io.tributary.event.AtomicCounter;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The one dead-letter counter every destination registers: {@code deadLetters} in the group
 * {@code kinesisanalytics} with the user variable {@code destination} ({@code eventlog},
 * {@code kinesis}, {@code dynamodb}). Managed Service for Apache Flink forwards metrics under a
 * {@code kinesisanalytics} group to CloudWatch and turns key-value groups into dimensions, so each
 * destination's alarm selects {@code deadLetters} with its {@code destination} dimension.
 */
public final class DeadLetterMetrics {
    /** The counter's name, the same for every destination. */
    public static final String NAME = "deadLetters";
    /** The key of the key-value group naming the destination (a CloudWatch dimension on MSF). */
    public static final String DESTINATION_KEY = "destination";

    private DeadLetterMetrics() {}

    /** Registers the destination's counter below {@code group}; safe to increment from any thread. */
    public static Counter register(MetricGroup group, String destination) {
        return group.addGroup("kinesisanalytics")
                .addGroup(DESTINATION_KEY, destination)
                .counter(NAME, new AtomicCounter());
    }
}
