package io.tributary.harness.bench;

import io.tributary.harness.PipelineRun;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.ProductionEndpoints;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The foundation's figures: snapshot rows/s and streaming catch-up changes/s into the local
 * Parquet event log, each next to its ceiling measured in the same run ({@link Ceilings}).
 */
final class EventLogBenchmarks {
    static final String ORDERS = "public\\.orders";

    private EventLogBenchmarks() {}

    /** Seeds {@code rows} orders, snapshots them into the log, then times COPY binary on the same data size. */
    static List<Object> snapshot(BenchSettings settings, long rows) throws Exception {
        List<Object> figures = new ArrayList<>();
        BenchJob job = BenchJob.create(settings, "snapshot", ORDERS, true, "public.orders");
        try {
            try (Connection c = job.connect();
                    Statement s = c.createStatement()) {
                DemoSchema.seedTable(c, DemoTable.ORDERS, rows, DemoSchema.DEFAULT_SEED);
                s.execute("VACUUM ANALYZE public.orders");
            }
            long start = System.nanoTime();
            long cpuStart = BenchCost.processCpuNanos();
            try (PipelineRun run = job.start(ProductionEndpoints.create(job.config()));
                    EventLogVerifier log = EventLogVerifier.open(job.eventLog())) {
                BenchPoll.Progress seq = BenchPoll.await(
                        start, job.deadline, () -> BenchJob.assertAlive(run), BenchJob::sequencedSnapshotRows, rows);
                BenchCost cost = BenchCost.measure(
                        "snapshot, job cost (submit to committed)",
                        run,
                        cpuStart,
                        seq,
                        job.deadline,
                        () -> job.rowCount("public.orders"),
                        "CPU of the bench JVM from job submit to the checkpoint after the last row");
                BenchPoll.Progress committed = BenchPoll.await(
                        start,
                        job.deadline,
                        () -> BenchJob.assertAlive(run),
                        () -> log.counts(DemoTable.ORDERS.tableId()).getOrDefault("snapshot", 0L),
                        rows,
                        250_000_000L);
                String cond = String.format(
                        "p=%d, orders 12 cols, split-size default, checkpoint %ds",
                        job.parallelism, job.checkpointInterval.toSeconds());
                figures.add(rate(
                        "snapshot, sequencer (first to last row)",
                        seq.value(),
                        "rows",
                        seq.activeSeconds(),
                        cond + seq.shortfall()));
                figures.add(rate(
                        "snapshot, committed in log (from job submit)",
                        committed.value(),
                        "rows",
                        committed.totalSeconds(),
                        cond + ", incl. job start and last checkpoint" + committed.shortfall()));
                figures.add(cost);
            }
        } finally {
            job.drop();
        }
        figures.addAll(Ceilings.copyRate(settings.pg(), rows));
        for (String which : List.of("sequencer (first to last row)", "committed in log (from job submit)")) {
            BenchRatio.of(
                            figures,
                            "snapshot, " + which.substring(0, which.indexOf(" (")) + " / COPY binary",
                            "snapshot, " + which,
                            "COPY TO STDOUT binary",
                            "x COPY binary",
                            "rows/s over COPY TO STDOUT binary of the same table, same run")
                    .ifPresent(figures::add);
        }
        return figures;
    }

    /**
     * Streaming catch-up: the job starts (no snapshot) and is stopped with a savepoint; then
     * {@code changes} changes are written in transactions of {@code perTxn}; then the job is
     * restored and times how fast it works off the backlog. Then the slot-drain ceilings for the
     * same N and shape.
     */
    static List<Object> streaming(BenchSettings settings, long changes, int perTxn) throws Exception {
        List<Object> figures = new ArrayList<>();
        BenchJob job = BenchJob.create(settings, "stream" + perTxn, ORDERS, false);
        try {
            String savepoint = job.backlog(changes, perTxn, () -> ProductionEndpoints.create(job.config()));
            long start = System.nanoTime();
            long cpuStart = BenchCost.processCpuNanos();
            try (PipelineRun run = job.restore(ProductionEndpoints.create(job.config()), savepoint);
                    EventLogVerifier log = EventLogVerifier.open(job.eventLog())) {
                BenchPoll.Progress seq = BenchPoll.await(
                        start, job.deadline, () -> BenchJob.assertAlive(run), BenchJob::sequencedChanges, changes);
                BenchCost cost = BenchCost.measure(
                        "catch-up, job cost (" + perTxn + " rows/txn)",
                        run,
                        cpuStart,
                        seq,
                        job.deadline,
                        () -> job.rowCount("public.orders"),
                        "CPU of the bench JVM from restore to the checkpoint after the last change; rows = orders now");
                BenchPoll.Progress committed = BenchPoll.await(
                        start,
                        job.deadline,
                        () -> BenchJob.assertAlive(run),
                        () -> log.total(DemoTable.ORDERS.tableId()),
                        changes,
                        250_000_000L);
                String cond = String.format(
                        "p=%d, %d rows/txn, 40%%I/40%%U/20%%D on orders, checkpoint %ds",
                        job.parallelism, perTxn, job.checkpointInterval.toSeconds());
                figures.add(rate(
                        "catch-up, sequencer (" + perTxn + " rows/txn)",
                        seq.value(),
                        "changes",
                        seq.activeSeconds(),
                        cond + seq.shortfall()));
                figures.add(rate(
                        "catch-up, committed in log (" + perTxn + " rows/txn)",
                        committed.value(),
                        "changes",
                        committed.totalSeconds(),
                        cond + ", from restore, incl. job start and last checkpoint" + committed.shortfall()));
                figures.add(cost);
            }
        } finally {
            job.drop();
        }
        figures.addAll(Ceilings.slotDrainRate(settings.pg(), changes, perTxn));
        for (String which : List.of("sequencer", "committed in log")) {
            BenchRatio.of(
                            figures,
                            "catch-up, " + which + " / pg_recvlogical (" + perTxn + " rows/txn)",
                            "catch-up, " + which + " (" + perTxn + " rows/txn)",
                            "slot drain, pg_recvlogical (" + perTxn + " rows/txn)",
                            "x pg_recvlogical",
                            "changes/s over pg_recvlogical draining the same N and shape, same run")
                    .ifPresent(figures::add);
        }
        DebeziumPeer.comparison(figures, perTxn).ifPresent(figures::add);
        return figures;
    }

    static CeilingFigure rate(String name, long count, String unit, double seconds, String conditions) {
        return new CeilingFigure(name, count, unit, Duration.ofNanos((long) (seconds * 1e9)), conditions);
    }
}
