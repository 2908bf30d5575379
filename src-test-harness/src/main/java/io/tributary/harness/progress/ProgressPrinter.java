package io.tributary.harness.progress;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Prints, every interval, snapshot progress per table, changes per second and the lag behind the
 * database, from {@link ProgressMetrics}.
 */
public final class ProgressPrinter implements AutoCloseable {
    private final PrintStream out;
    private final Map<String, Long> snapshotTotals;
    private final Supplier<String> extra;
    private final Thread thread;
    private final long intervalMillis;
    private volatile boolean running = true;
    private Map<String, Long> lastChanges = new HashMap<>();
    private long lastAt = System.nanoTime();

    /**
     * @param snapshotTotals expected snapshot rows per table (from the database), for percentages
     * @param extra one more line to print each time (e.g. what the traffic generator committed), or null
     */
    public ProgressPrinter(PrintStream out, Map<String, Long> snapshotTotals, long intervalMillis, Supplier<String> extra) {
        this.out = out;
        this.snapshotTotals = snapshotTotals;
        this.extra = extra;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "tributary-progress");
        this.thread.setDaemon(true);
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

    /** One progress block. */
    public synchronized String render() {
        Map<String, Long> snapshot = ProgressMetrics.snapshotRows();
        Map<String, Long> changes = ProgressMetrics.changes();
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastAt) / 1e9);
        StringBuilder s = new StringBuilder();
        long lag = ProgressMetrics.commitLagMillis();
        long totalRate = 0;
        TreeSet<String> tables = new TreeSet<>(snapshotTotals.keySet());
        tables.addAll(changes.keySet());
        tables.addAll(snapshot.keySet());
        for (String table : tables) {
            long rows = snapshot.getOrDefault(table, 0L);
            long expected = snapshotTotals.getOrDefault(table, 0L);
            long streamed = changes.getOrDefault(table, 0L);
            long rate = Math.round((streamed - lastChanges.getOrDefault(table, 0L)) / seconds);
            totalRate += rate;
            s.append(String.format("  %-28s snapshot %9d/%-9d %5.1f%%   changes %9d  %7d/s%n",
                    table, rows, expected, expected == 0 ? 100.0 : Math.min(100.0, 100.0 * rows / expected), streamed, rate));
        }
        long slot = ProgressMetrics.slotLagBytes();
        s.insert(0, String.format("[progress] %d changes/s, lag behind the database %s, replication slot lag %s%n",
                totalRate, lag < 0 ? "n/a (no streamed change yet)" : lag + " ms", slot < 0 ? "n/a" : slot + " bytes"));
        if (extra != null) {
            s.append("  ").append(extra.get()).append('\n');
        }
        lastChanges = changes;
        lastAt = now;
        return s.toString();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
