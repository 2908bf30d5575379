package io.tributary.harness.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
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
 * An in-JVM metric reporter that keeps every counter of the job by name, so a benchmark can read
 * a sink's own counters (Kinesis {@code numRecordsSend}, DynamoDB {@code itemsWritten}, …) live,
 * summed over subtasks, without a REST round trip.
 */
public final class BenchMetrics implements MetricReporter {
    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();

    /** Adds this reporter to a MiniCluster's configuration. */
    static void register(Configuration conf) {
        conf.setString("metrics.reporter.bench.factory.class", Factory.class.getName());
        conf.setString("metrics.reporter.bench.interval", "1 s");
    }

    /** Forgets the counters of earlier jobs in this JVM. */
    static void reset() {
        COUNTERS.clear();
    }

    /** The sum of every counter called {@code name} (all operators, subtasks and attempts). */
    static long sum(String name) {
        List<Counter> list = COUNTERS.get(name);
        return list == null ? 0 : list.stream().mapToLong(Counter::getCount).sum();
    }

    /** Every non-zero counter total, by name, for a shortfall's diagnosis. */
    static String nonZero() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(COUNTERS).forEach((name, list) -> {
            long v = sum(name);
            if (v != 0) {
                sb.append(name).append('=').append(v).append(' ');
            }
        });
        return sb.toString().trim();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter) {
            COUNTERS.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add((Counter) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Kept: a benchmark reads totals after the job has been cancelled.
    }

    /** Creates the reporter from Flink's configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetrics();
        }
    }
}
