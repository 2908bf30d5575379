package io.tributary.harness.progress;

import io.tributary.deadletter.DeadLetterMetrics;
import io.tributary.job.lag.LagReporter;
import io.tributary.job.sequencer.RowSequencer;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-JVM Flink metric reporter that keeps the sequencer's and the lag reporter's metrics and the
 * destinations' dead-letter counters, so a local run on a MiniCluster can show progress from the job's own
 * production metrics and a test can read them.
 */
public final class ProgressMetrics implements MetricReporter {
    private static final Map<String, List<Counter>> CHANGES = new ConcurrentHashMap<>();
    private static final Map<String, List<Counter>> SNAPSHOT_ROWS = new ConcurrentHashMap<>();
    private static final List<Gauge<?>> LAGS = new CopyOnWriteArrayList<>();
    private static final List<Gauge<?>> SLOT_LAGS = new CopyOnWriteArrayList<>();
    private static final Map<String, List<Counter>> DEAD_LETTERS = new ConcurrentHashMap<>();
    /** Flink's job-level {@code numRestarts} gauge (JobManager); the newest job's. */
    private static final List<Gauge<?>> RESTARTS = new CopyOnWriteArrayList<>();

    static final String METRIC_RESTARTS = "numRestarts";

    /** Adds this reporter to a MiniCluster's configuration. */
    public static void register(Configuration conf) {
        conf.setString("metrics.reporter.progress.factory.class", Factory.class.getName());
        conf.setString("metrics.reporter.progress.interval", "1 s");
    }

    /** Forgets metrics of earlier jobs in this JVM. */
    public static void reset() {
        CHANGES.clear();
        SNAPSHOT_ROWS.clear();
        LAGS.clear();
        SLOT_LAGS.clear();
        DEAD_LETTERS.clear();
        RESTARTS.clear();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String destination = group.getAllVariables().get("<" + DeadLetterMetrics.DESTINATION_KEY + ">");
        if (destination != null && name.equals(DeadLetterMetrics.NAME) && metric instanceof Counter) {
            DEAD_LETTERS
                    .computeIfAbsent(destination, d -> new CopyOnWriteArrayList<>())
                    .add((Counter) metric);
            return;
        }
        String table = group.getAllVariables().get("<" + RowSequencer.METRIC_TABLE_GROUP + ">");
        if (table != null && metric instanceof Counter) {
            if (name.equals(RowSequencer.METRIC_CHANGES)) {
                CHANGES.computeIfAbsent(table, t -> new CopyOnWriteArrayList<>())
                        .add((Counter) metric);
            } else if (name.equals(RowSequencer.METRIC_SNAPSHOT_ROWS)) {
                SNAPSHOT_ROWS
                        .computeIfAbsent(table, t -> new CopyOnWriteArrayList<>())
                        .add((Counter) metric);
            }
        } else if (name.equals(LagReporter.METRIC_COMMIT_LAG) && metric instanceof Gauge) {
            LAGS.add((Gauge<?>) metric);
        } else if (name.equals(LagReporter.METRIC_SLOT_LAG) && metric instanceof Gauge) {
            SLOT_LAGS.add((Gauge<?>) metric);
        } else if (name.equals(METRIC_RESTARTS) && metric instanceof Gauge) {
            RESTARTS.add((Gauge<?>) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Counters of a failed attempt stay: the totals then count what was let through, replays included.
    }

    /** Streamed changes per table, summed over subtasks and attempts. */
    public static Map<String, Long> changes() {
        return sum(CHANGES);
    }

    /** Snapshot rows per table, summed over subtasks and attempts. */
    public static Map<String, Long> snapshotRows() {
        return sum(SNAPSHOT_ROWS);
    }

    /** Dead letters per destination ({@code eventlog}, {@code kinesis}, {@code dynamodb}), summed over subtasks and attempts. */
    public static Map<String, Long> deadLetters() {
        return sum(DEAD_LETTERS);
    }

    /** The largest commit lag over subtasks, in ms; -1 while nothing is known (no change arrived, no slot poll answered). */
    public static long commitLagMillis() {
        long max = -1;
        for (Gauge<?> g : LAGS) {
            Object v = g.getValue();
            if (v instanceof Long) {
                max = Math.max(max, (Long) v);
            }
        }
        return max;
    }

    /** The replication slot's lag in bytes from the newest job attempt; -1 if unknown. */
    public static long slotLagBytes() {
        long lag = -1;
        for (Gauge<?> g : SLOT_LAGS) {
            Object v = g.getValue();
            if (v instanceof Long) {
                lag = (Long) v;
            }
        }
        return lag;
    }

    /** Restarts of the newest job since it was submitted (Flink's {@code numRestarts}); 0 if unknown. */
    public static long restarts() {
        long restarts = 0;
        for (Gauge<?> g : RESTARTS) {
            Object v = g.getValue();
            if (v instanceof Number) {
                restarts = ((Number) v).longValue();
            }
        }
        return restarts;
    }

    /** The current values, for one progress block. */
    public static ProgressSample sample(String lastFailure) {
        return new ProgressSample(
                snapshotRows(), changes(), commitLagMillis(), slotLagBytes(), restarts(), lastFailure);
    }

    private static Map<String, Long> sum(Map<String, List<Counter>> counters) {
        Map<String, Long> totals = new TreeMap<>();
        counters.forEach((table, list) ->
                totals.put(table, list.stream().mapToLong(Counter::getCount).sum()));
        return totals;
    }

    /** Creates the reporter from Flink's configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new ProgressMetrics();
        }
    }
}
