package io.tributary.harness.bench;

import io.tributary.harness.PipelineRun;

import com.sun.management.OperatingSystemMXBean;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a figure cost: CPU seconds of this JVM (the MiniCluster runs in it) per 1 M changes, and
 * the checkpointed state (RocksDB unless {@link BenchJob#STATE_BACKEND} says otherwise) per captured row.
 *
 * <p>Both are read at the first checkpoint completed after the sequencer counted every change: its
 * barrier follows every change, so its state holds all of them and its completion commits them to
 * the log. Waiting for a periodic checkpoint (not triggering one) keeps the committed-in-log timing
 * unchanged, and reading the CPU before the log is counted keeps DuckDB's queries out of the figure.
 * What remains in it besides the job: the bench's 10 ms counter poll and the JVM's JIT and GC threads.
 */
record BenchCost(
        String name,
        double cpuSeconds,
        double cpuSecondsFromFirst,
        long changes,
        long stateBytes,
        long rows,
        String conditions)
        implements BenchFigure {

    /** Process CPU time of this JVM, all threads (native ones included), in nanoseconds. */
    static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Waits for the first checkpoint triggered after {@code afterMillis} (wall clock) to complete
     * and returns its statistics; throws past the deadline.
     */
    static CompletedCheckpointStats checkpointAfter(PipelineRun run, long afterMillis, Duration deadline)
            throws Exception {
        AtomicReference<CompletedCheckpointStats> found = new AtomicReference<>();
        BenchPoll.until(
                "a checkpoint after the sequencer counted every change (is checkpointing on?)",
                deadline,
                () -> BenchJob.assertAlive(run),
                () -> {
                    CompletedCheckpointStats latest = run.cluster()
                            .getExecutionGraph(run.jobId())
                            .get()
                            .getCheckpointStatsSnapshot()
                            .getHistory()
                            .getLatestCompletedCheckpoint();
                    if (latest != null && latest.getTriggerTimestamp() > afterMillis) {
                        found.set(latest);
                        return 1L;
                    }
                    return 0L;
                },
                1);
        return found.get();
    }

    /**
     * The cost from {@code cpuStartNanos} (a {@link #processCpuNanos()} reading before the job was
     * submitted) to the checkpoint after the sequencer counted every change, and the same from the
     * first change counted (without job start, which a small N does not amortize; JIT compiling after it
     * remains, so the figure also depends on what ran earlier in this JVM);
     * {@code rows} is the table's row count, read from PostgreSQL.
     */
    static BenchCost measure(
            String name,
            PipelineRun run,
            long cpuStartNanos,
            BenchPoll.Progress sequenced,
            Duration deadline,
            RowCount rows,
            String conditions)
            throws Exception {
        long seqDoneMillis = System.currentTimeMillis();
        CompletedCheckpointStats checkpoint = checkpointAfter(run, seqDoneMillis, deadline);
        long cpuEnd = processCpuNanos();
        return new BenchCost(
                name,
                (cpuEnd - cpuStartNanos) / 1e9,
                (cpuEnd - sequenced.firstCpuNanos()) / 1e9,
                sequenced.value(),
                checkpoint.getStateSize(),
                rows.count(),
                conditions + ", state of checkpoint " + checkpoint.getCheckpointId() + " (checkpointed "
                        + checkpoint.getCheckpointedSize() + " B incrementally)");
    }

    /** The captured table's row count, from PostgreSQL. */
    @FunctionalInterface
    interface RowCount {
        long count() throws Exception;
    }

    double cpuSecondsPerMillion() {
        return changes == 0 ? Double.NaN : cpuSeconds * 1e6 / changes;
    }

    double stateBytesPerRow() {
        return rows == 0 ? Double.NaN : (double) stateBytes / rows;
    }

    @Override
    public List<Value> values() {
        return List.of(
                new Value("CPU s per 1M changes", cpuSecondsPerMillion(), 1),
                new Value(
                        "CPU s per 1M from the first change",
                        changes == 0 ? Double.NaN : cpuSecondsFromFirst * 1e6 / changes,
                        1),
                new Value("B state per row", stateBytesPerRow(), 0));
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%-44s %,8.1f CPU s per 1M changes (%.1f s for %,d; %.1f per 1M from the"
                        + " first change on)   state %,.0f B/row (%,d B / %,d rows, %s)   (%s)",
                name,
                cpuSecondsPerMillion(),
                cpuSeconds,
                changes,
                changes == 0 ? Double.NaN : cpuSecondsFromFirst * 1e6 / changes,
                stateBytesPerRow(),
                stateBytes,
                rows,
                BenchJob.STATE_BACKEND,
                conditions);
    }
}
