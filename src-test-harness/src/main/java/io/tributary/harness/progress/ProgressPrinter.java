package io.tributary.harness.progress;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Prints, every interval, snapshot progress per table, changes per second, the lag behind the
 * database, and the job's restarts with its newest failure, from {@link ProgressMetrics}. A table
 * whose size is not known shows its rows and their rate, not a percentage.
 */
public final class ProgressPrinter implements AutoCloseable {
    private final PrintStream out;
    private final Map<String, Long> snapshotTotals;
    private final Thread thread;
    private final long intervalMillis;
    private volatile boolean running = true;
    private volatile Supplier<String> lastFailure = () -> null;
    private volatile Supplier<String> extra;
    private Map<String, Long> lastChanges = new HashMap<>();
    private Map<String, Long> lastSnapshot = new HashMap<>();
    private long lastAt = System.nanoTime();

    /**
     * @param snapshotTotals expected snapshot rows per table (from the database), for percentages;
     *     tables missing here show rows and rate
     */
    public ProgressPrinter(PrintStream out, Map<String, Long> snapshotTotals, long intervalMillis) {
        this.out = out;
        this.snapshotTotals = snapshotTotals;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "tributary-progress");
        this.thread.setDaemon(true);
    }

    /** Where the newest failure of the job comes from (it returns null while there is none). */
    public ProgressPrinter failures(Supplier<String> source) {
        this.lastFailure = source;
        return this;
    }

    /** One more line to print each time (e.g. what the traffic generator committed). */
    public ProgressPrinter extraLine(Supplier<String> line) {
        this.extra = line;
        return this;
    }

    public ProgressPrinter start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            out.println(render());
        }
    }

    /** One progress block from the job's current metrics. */
    public String render() {
        String failure;
        try {
            failure = lastFailure.get();
        } catch (RuntimeException e) {
            failure = "unknown (" + e.getMessage() + ")";
        }
        return render(ProgressMetrics.sample(failure), System.nanoTime());
    }

    /** One progress block from {@code sample}, read at {@code nanoTime}; rates are since the previous block. */
    public synchronized String render(ProgressSample sample, long nanoTime) {
        double seconds = Math.max(1e-3, (nanoTime - lastAt) / 1e9);
        StringBuilder s = new StringBuilder();
        long totalRate = 0;
        TreeSet<String> tables = new TreeSet<>(snapshotTotals.keySet());
        tables.addAll(sample.changes().keySet());
        tables.addAll(sample.snapshotRows().keySet());
        for (String table : tables) {
            long rows = sample.snapshotRows().getOrDefault(table, 0L);
            long streamed = sample.changes().getOrDefault(table, 0L);
            long rate = Math.round((streamed - lastChanges.getOrDefault(table, 0L)) / seconds);
            totalRate += rate;
            Long expected = snapshotTotals.get(table);
            String snapshot = expected == null || expected <= 0
                    ? String.format(
                            "snapshot %9d rows %7d/s",
                            rows, Math.round((rows - lastSnapshot.getOrDefault(table, 0L)) / seconds))
                    : String.format(
                            "snapshot %9d/%-9d %5.1f%%", rows, expected, Math.min(100.0, 100.0 * rows / expected));
            s.append(String.format("  %-28s %s   changes %9d  %7d/s%n", table, snapshot, streamed, rate));
        }
        long lag = sample.commitLagMillis();
        long slot = sample.slotLagBytes();
        s.insert(
                0,
                String.format(
                        "[progress] %d changes/s, lag behind the database %s, replication slot lag %s%n",
                        totalRate,
                        lag < 0 ? "n/a (no change or slot reading yet)" : lag + " ms",
                        slot < 0 ? "n/a" : slot + " bytes"));
        if (sample.restarts() > 0 || sample.lastFailure() != null) {
            s.append(String.format(
                    "  restarts %d, last failure: %s%n",
                    sample.restarts(), sample.lastFailure() == null ? "none" : sample.lastFailure()));
        }
        Supplier<String> line = extra;
        if (line != null) {
            s.append("  ").append(line.get()).append('\n');
        }
        lastChanges = sample.changes();
        lastSnapshot = sample.snapshotRows();
        lastAt = nanoTime;
        return s.toString();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
