package io.tributary.harness.bench;

import io.tributary.harness.PipelineRun;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.job.ProductionEndpoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Commit-to-file latency: while background traffic runs at a modest steady rate, inserts probe
 * rows one at a time (spaced so they fall at different points of the checkpoint cycle) and
 * polls the committed log every 100 ms for each; latency is first seen minus commit returned.
 */
final class LatencyBenchmark {
    static final long PROBE_BASE = 2_000_000_000L;
    static final int BACKGROUND_RATE = 1_000;
    private static final String INSERT = "INSERT INTO public.orders (id, customer_id, status, total, exchange_rate,"
            + " placed_at, placed_local, ship_by, priority, is_gift, line_counts, metadata) VALUES (?, 1, 'pending',"
            + " 19.99, 1.23456789, now(), localtimestamp, current_date, 1, false, '{1,2,3}', '{\"probe\": true}')";

    private LatencyBenchmark() {}

    static List<Object> commitToFile(BenchSettings settings, int samples) throws Exception {
        BenchJob job = BenchJob.create(settings, "latency", "public\\.(orders|customers)", false);
        Map<Long, Long> committedAt = new ConcurrentHashMap<>();
        Map<Long, Long> seenAt = new ConcurrentHashMap<>();
        long spacingMillis = job.checkpointInterval.toMillis() * 137 / 1000; // not a divisor of the interval
        try (PipelineRun run = job.start(ProductionEndpoints.create(job.config()));
                TrafficGenerator background = TrafficGenerator.builder(job::connect)
                        .changesPerSecond(BACKGROUND_RATE)
                        .tables(DemoTable.CUSTOMERS)
                        .build();
                EventLogDuckDb duck = EventLogDuckDb.open(job.eventLog())) {
            job.awaitSlotActive(run);
            background.start();
            Thread poller = new Thread(
                    () -> pollLog(duck, job.eventLog().resolve("public.orders"), seenAt, samples), "latency-poller");
            poller.setDaemon(true);
            poller.start();
            try (Connection c = job.connect();
                    PreparedStatement insert = c.prepareStatement(INSERT)) {
                c.setAutoCommit(true);
                for (int i = 0; i < samples; i++) {
                    BenchJob.assertAlive(run);
                    insert.setLong(1, PROBE_BASE + i);
                    insert.executeUpdate();
                    committedAt.put(PROBE_BASE + i, System.currentTimeMillis());
                    Thread.sleep(spacingMillis);
                }
            }
            poller.join(job.checkpointInterval.toMillis() * 3 + 5_000);
            poller.interrupt();
            String traffic = background.counts().total() + " background changes";
            background.stop();
            List<Long> latencies = new ArrayList<>();
            committedAt.forEach((id, at) -> {
                Long seen = seenAt.get(id);
                if (seen != null) {
                    latencies.add(seen - at);
                }
            });
            return List.of(new LatencyFigure(
                    "commit -> committed Parquet file",
                    latencies,
                    samples - latencies.size(),
                    String.format(
                            "checkpoint %d s (goal: <= %d s), probe every %d ms,"
                                    + " background %d changes/s on customers (%s), log polled every 100 ms",
                            job.checkpointInterval.toSeconds(),
                            job.checkpointInterval.toSeconds() + 2,
                            spacingMillis,
                            BACKGROUND_RATE,
                            traffic)));
        } finally {
            job.drop();
        }
    }

    private static void pollLog(EventLogDuckDb duck, Path table, Map<Long, Long> seenAt, int samples) {
        while (seenAt.size() < samples && !Thread.currentThread().isInterrupted()) {
            try {
                if (hasFiles(table)) {
                    long now = System.currentTimeMillis();
                    for (Map<String, Object> row : duck.query("SELECT id FROM "
                            + duck.relation(DemoTable.ORDERS.tableId()) + " WHERE id >= " + PROBE_BASE)) {
                        seenAt.putIfAbsent(((Number) row.get("id")).longValue(), now);
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // a file appearing mid-scan; the next poll sees it
            }
        }
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith("."));
        }
    }
}
