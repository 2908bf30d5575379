package io.tributary.job.sequencer;

import io.tributary.postgres.PostgresSlotLag;
import io.tributary.postgres.PostgresSlotPositions;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Polls the job's replication slot on a background thread, so that a slow or unreachable database
 * never blocks metric reporting or the sequencer: reports {@code replicationSlotLagBytes} (-1 until
 * the first answer or while the database does not answer) and feeds each reading to the
 * {@link CommitLag} of the same subtask. One query per poll interval, read-only.
 */
final class SlotLagGauge implements AutoCloseable {
    static final String METRIC = "replicationSlotLagBytes";
    private static final Logger LOG = LoggerFactory.getLogger(SlotLagGauge.class);

    private final ScheduledExecutorService poller;
    private final CommitLag commitLag;
    private final LongSupplier clock;
    private volatile long lagBytes = -1;

    private SlotLagGauge(PostgresSlotLag slot, MetricGroup group, CommitLag commitLag, LongSupplier clock) {
        this.commitLag = commitLag;
        this.clock = clock;
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-slot-lag-" + slot.slotName());
            t.setDaemon(true);
            return t;
        });
        group.gauge(METRIC, (Gauge<Long>) () -> lagBytes);
        poller.scheduleWithFixedDelay(() -> poll(slot), 0, slot.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts polling {@code slot} every {@link PostgresSlotLag#pollInterval()}, feeding {@code commitLag}. */
    static SlotLagGauge start(PostgresSlotLag slot, MetricGroup group, CommitLag commitLag, LongSupplier clock) {
        return new SlotLagGauge(slot, group, commitLag, clock);
    }

    private void poll(PostgresSlotLag slot) {
        try {
            // the time is taken before the query: the WAL end read is at least the WAL end at that time
            long now = clock.getAsLong();
            PostgresSlotPositions p = slot.readPositions();
            lagBytes = p == null ? -1 : p.lagBytes();
            if (p != null) {
                commitLag.polled(now, p.walLsn(), p.readLsn());
            }
        } catch (Exception e) {
            lagBytes = -1;
            LOG.warn("cannot read the positions of replication slot {}: {}", slot.slotName(), e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
