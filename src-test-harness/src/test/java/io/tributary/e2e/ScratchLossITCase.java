package io.tributary.e2e;

import io.tributary.harness.EventLogVerifier;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.PostgresStandIn;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.progress.ProgressMetrics;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

class ScratchLossITCase {
    static void slots(PostgresStandIn pg, String db, String when) throws Exception {
        try (Connection c = pg.connect(db);
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT slot_name, active, restart_lsn::text, confirmed_flush_lsn::text, pg_current_wal_lsn()::text FROM pg_replication_slots")) {
            while (rs.next()) {
                System.err.println("SLOT " + when + " " + rs.getString(1) + " active=" + rs.getString(2) + " restart=" + rs.getString(3)
                        + " flush=" + rs.getString(4) + " current=" + rs.getString(5) + " t=" + java.time.Instant.now());
            }
        }
    }

    @Test
    void scratch(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("scratch");
            Map<DemoTable, Long> seeded;
            try (Connection c = pg.connect(db)) {
                DemoSchema.create(c);
                seeded = DemoSchema.seed(c, 4_000);
            }
            Path log = dir.resolve("log");
            JobConfig config = CaptureFixture.config(pg, db, log, 300);
            try (PipelineRun run = PipelineRun.start(config, ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("checkpoints"), false), 2, null)) {
                CaptureFixture.awaitEvents(log, CaptureFixture.expectedEvents(seeded, List.of()), Duration.ofMinutes(3),
                        () -> {});
                pg.executeIn(db, "SELECT pg_create_logical_replication_slot('oracle', 'test_decoding')");
                slots(pg, db, "before traffic");
                TrafficCounts traffic;
                try (TrafficGenerator gen = TrafficGenerator.builder(() -> pg.connect(db))
                        .asFastAsPossible().rowsPerTransaction(3).maxChanges(3000).seed(7).build()) {
                    traffic = gen.runBlocking();
                }
                slots(pg, db, "after traffic");
                Thread.sleep(15000);
                slots(pg, db, "15s later");
                System.err.println("METRICS changes=" + ProgressMetrics.changes() + " snap=" + ProgressMetrics.snapshotRows());
                TreeSet<Long> oracle = new TreeSet<>();
                List<String> lines = new ArrayList<>();
                try (Connection c = pg.connect(db);
                        ResultSet rs = c.createStatement().executeQuery(
                                "SELECT lsn::text, data FROM pg_logical_slot_peek_changes('oracle', NULL, NULL) WHERE data LIKE 'table public.products%'")) {
                    while (rs.next()) {
                        String[] p = rs.getString(1).split("/");
                        long lsn = (Long.parseLong(p[0], 16) << 32) | Long.parseLong(p[1], 16);
                        oracle.add(lsn);
                        lines.add(rs.getString(1) + " " + rs.getString(2).substring(0, Math.min(80, rs.getString(2).length())));
                    }
                }
                TreeSet<Long> logged = new TreeSet<>();
                try (EventLogVerifier v = EventLogVerifier.open(log)) {
                    System.err.println("COUNTS " + v.counts(DemoTable.PRODUCTS.tableId()) + " traffic " + traffic.changes(DemoTable.PRODUCTS));
                }
                try (io.tributary.harness.EventLogDuckDb duck = io.tributary.harness.EventLogDuckDb.open(log)) {
                    for (Map<String, Object> r : duck.query("SELECT change_lsn, lsn, op FROM " + duck.relation(DemoTable.PRODUCTS.tableId()) + " WHERE NOT is_snapshot")) {
                        logged.add(((Number) r.get("change_lsn")).longValue());
                    }
                }
                System.err.println("ORACLE " + oracle.size() + " LOGGED " + logged.size());
                int shown = 0;
                for (int i = 0; i < lines.size() && shown < 400; i++) {
                    String l = lines.get(i);
                    String[] p = l.split(" ")[0].split("/");
                    long lsn = (Long.parseLong(p[0], 16) << 32) | Long.parseLong(p[1], 16);
                    if (!logged.contains(lsn) || shown % 20 == 0) {
                        System.err.println((logged.contains(lsn) ? "  ok   " : "  MISS ") + l);
                    }
                    shown++;
                }
            }
        }
    }
}
