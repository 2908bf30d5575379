package io.tributary.job.lag;

import io.tributary.event.ChangeEvent;
import io.tributary.job.sequencer.RowSequencer;
import io.tributary.postgres.PostgresSlotLag;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Reports how far behind PostgreSQL the job is, so that the {@link RowSequencer} stays a pure function
 * of its input and state (no clock, no JDBC). A pass-through chained to the sequencer's output (same
 * parallelism, forward; the hand-over copies nothing, events are immutable): it sees exactly the changes
 * the sequencer let through, replays dropped, as they leave it, so the arrival part of
 * {@value #METRIC_COMMIT_LAG} is the delay from commit to sequenced. On the source side it would miss the
 * time changes wait in the network buffers in front of the sequencer under backpressure, and would count
 * replays after a restore.
 *
 * <p>Every subtask reports {@value #METRIC_COMMIT_LAG} (see {@link CommitLag}); with a replication slot
 * ({@link #pollingSlot}) the first subtask alone polls it, for {@value #METRIC_SLOT_LAG} and the
 * server side of the commit lag. Both under the {@link RowSequencer#METRIC_SERVICE_GROUP} group, so
 * Managed Service for Apache Flink forwards them to CloudWatch, where the template's alarms select
 * them by name.
 */
public final class LagReporter extends ProcessFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /**
     * Per subtask: how far behind the database the job is, in milliseconds (-1 while unknown): the
     * commit-to-sequenced delay of changes that arrived in the last minute and, on the first subtask
     * with a slot, the time since the WAL last ended where PostgreSQL has sent the job's slot to. Stays
     * below the slot poll interval while the job keeps up, idle database or not; grows while it does
     * not read. See {@link CommitLag}.
     */
    public static final String METRIC_COMMIT_LAG = "commitLagMillis";
    /** First subtask, with a slot: bytes of WAL the replication slot holds back on the server (-1: unknown). */
    public static final String METRIC_SLOT_LAG = "replicationSlotLagBytes";

    /** Wall-clock milliseconds; serializable so a test's clock travels with the function. */
    interface Clock extends LongSupplier, Serializable {}

    /** The slot the first subtask polls; null for {@link #arrivalsOnly}. */
    private final PostgresSlotLag slot;

    private final Clock clock;

    private transient CommitLag commitLag;
    private transient SlotLagGauge slotLagGauge;

    private LagReporter(PostgresSlotLag slot, Clock clock) {
        this.slot = slot;
        this.clock = clock;
    }

    /**
     * Reports both metrics: the first subtask polls {@code slot} every {@link PostgresSlotLag#pollInterval()}
     * for {@value #METRIC_SLOT_LAG} and for the server side of {@value #METRIC_COMMIT_LAG}.
     */
    public static LagReporter pollingSlot(PostgresSlotLag slot) {
        return new LagReporter(Objects.requireNonNull(slot, "slot"), System::currentTimeMillis);
    }

    /** Reports {@value #METRIC_COMMIT_LAG} from the changes that arrive only, and no slot lag (no database to poll). */
    public static LagReporter arrivalsOnly() {
        return arrivalsOnly(System::currentTimeMillis);
    }

    static LagReporter arrivalsOnly(Clock clock) {
        return new LagReporter(null, clock);
    }

    @Override
    public void open(Configuration parameters) {
        register(
                getRuntimeContext().getMetricGroup().addGroup(RowSequencer.METRIC_SERVICE_GROUP),
                getRuntimeContext().getIndexOfThisSubtask());
    }

    /** Registers the gauges in {@code metrics}; the first subtask with a slot starts polling it. */
    void register(MetricGroup metrics, int subtask) {
        boolean polls = slot != null && subtask == 0;
        commitLag = new CommitLag(polls);
        metrics.gauge(METRIC_COMMIT_LAG, (Gauge<Long>) () -> commitLag.millis(clock.getAsLong()));
        if (polls) {
            slotLagGauge = SlotLagGauge.start(slot, commitLag, clock);
            metrics.gauge(METRIC_SLOT_LAG, (Gauge<Long>) slotLagGauge::lagBytes);
        }
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        // a streamed change, or one copy of a streamed TRUNCATE: what the sequencer counts
        if (!event.snapshot() && event.isPrimaryCopy()) {
            commitLag.arrived(event.commitTimeMicros(), clock.getAsLong());
        }
        out.collect(event);
    }

    @Override
    public void close() throws Exception {
        if (slotLagGauge != null) {
            slotLagGauge.close();
        }
        if (commitLag != null) {
            commitLag.close();
        }
        super.close();
    }
}
