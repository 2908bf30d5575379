package io.tributary.job.lag;

import io.tributary.postgres.PostgresSlotLag;
import io.tributary.postgres.PostgresSlotPositions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Polls the job's replication slot on a background thread, so that a slow or unreachable database
 * never blocks metric reporting or the pipeline: holds {@code replicationSlotLagBytes} (-1 until the
 * first answer or while the database does not answer) and feeds each reading to the
 * {@link CommitLag} of the same subtask. One query per poll interval, read-only.
 */
final class SlotLagGauge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotLagGauge.class);

    /** One reading of the slot; null while the slot does not exist. A seam: a unit test reads without a database. */
    @FunctionalInterface
    interface PositionsReader {
        PostgresSlotPositions read() throws Exception;
    }

    private final String slotName;
    private final PositionsReader reader;
    private final CommitLag commitLag;
    private final LongSupplier clock;
    private volatile long lagBytes = -1;
    private ScheduledExecutorService poller;

    /** A gauge that reads only when {@link #poll()} is called (see {@link #start} for the polling one). */
    SlotLagGauge(String slotName, PositionsReader reader, CommitLag commitLag, LongSupplier clock) {
        this.slotName = slotName;
        this.reader = reader;
        this.commitLag = commitLag;
        this.clock = clock;
    }

    /** Starts polling {@code slot} every {@link PostgresSlotLag#pollInterval()}, feeding {@code commitLag}. */
    static SlotLagGauge start(PostgresSlotLag slot, CommitLag commitLag, LongSupplier clock) {
        SlotLagGauge gauge = new SlotLagGauge(slot.slotName(), slot::readPositions, commitLag, clock);
        gauge.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-slot-lag-" + slot.slotName());
            t.setDaemon(true);
            return t;
        });
        gauge.poller.scheduleWithFixedDelay(gauge::poll, 0, slot.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return gauge;
    }

    /** Bytes of WAL the slot holds back at the last poll; -1 while unknown. */
    long lagBytes() {
        return lagBytes;
    }

    /** Reads the slot once. */
    void poll() {
        try {
            // the time is taken before the query: the WAL end read is at least the WAL end at that time
            long now = clock.getAsLong();
            PostgresSlotPositions p = reader.read();
            lagBytes = p == null ? -1 : p.lagBytes();
            if (p != null) {
                commitLag.polled(now, p.walLsn(), p.readLsn());
            }
        } catch (Exception e) {
            lagBytes = -1;
            LOG.warn("cannot read the positions of replication slot {}: {}", slotName, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
