package io.tributary.job.sequencer;

import io.tributary.postgres.PostgresSlotLag;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gauge {@code replicationSlotLagBytes}: the slot's lag, polled on a background thread so that a
 * slow or unreachable database never blocks metric reporting; -1 until the first answer or while the
 * database does not answer.
 */
final class SlotLagGauge implements AutoCloseable {
    static final String METRIC = "replicationSlotLagBytes";
    private static final Logger LOG = LoggerFactory.getLogger(SlotLagGauge.class);

    private final ScheduledExecutorService poller;
    private volatile long lagBytes = -1;

    private SlotLagGauge(PostgresSlotLag slot, MetricGroup group, Duration interval) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-slot-lag-" + slot.slotName());
            t.setDaemon(true);
            return t;
        });
        group.gauge(METRIC, (Gauge<Long>) () -> lagBytes);
        poller.scheduleWithFixedDelay(() -> poll(slot), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    static SlotLagGauge start(PostgresSlotLag slot, MetricGroup group, Duration interval) {
        return new SlotLagGauge(slot, group, interval);
    }

    private void poll(PostgresSlotLag slot) {
        try {
            lagBytes = slot.read();
        } catch (Exception e) {
            lagBytes = -1;
            LOG.warn("cannot read the lag of replication slot {}: {}", slot.slotName(), e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
