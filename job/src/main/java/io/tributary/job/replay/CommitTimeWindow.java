package io.tributary.job.replay;

import io.tributary.event.ChangeEvent;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.configuration.Configuration;

/**
 * Keeps events committed inside {@code [fromMicros, untilMicros]} and counts what was read. Hour
 * partitions prune whole files; this drops the rest of the boundary hours.
 */
final class CommitTimeWindow extends RichFilterFunction<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    static final String READ = "replay-events-read";

    private final long fromMicros;
    private final long untilMicros;
    private transient LongCounter read;

    CommitTimeWindow(long fromMicros, long untilMicros) {
        this.fromMicros = fromMicros;
        this.untilMicros = untilMicros;
    }

    @Override
    public void open(Configuration parameters) {
        read = getRuntimeContext().getLongCounter(READ);
    }

    @Override
    public boolean filter(ChangeEvent e) {
        read.add(1);
        return e.commitTimeMicros() >= fromMicros && e.commitTimeMicros() <= untilMicros;
    }
}
