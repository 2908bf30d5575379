package io.tributary.e2e;

import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.progress.ProgressMetrics;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * From PostgreSQL to the committed Parquet event log: a parallel snapshot, then a mixed stream of
 * inserts, updates (TOASTed column left unchanged among them), deletes and re-inserts on
 * REPLICA IDENTITY DEFAULT tables. The log must equal the database's history exactly.
 */
class EventLogEndToEndITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void logEqualsTheDatabaseHistoryAfterSnapshotAndMixedStream(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("e2e_history");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 4_000);
        Path log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 300);

        try (PipelineRun run = PipelineRun.start(
                config,
                ProductionEndpoints.create(config),
                PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("checkpoints"), false),
                2)) {
            CaptureFixture.awaitEvents(
                    log, CaptureFixture.expectedEvents(seeded, List.of()), Duration.ofMinutes(3), () -> alive(run));

            TrafficCounts traffic;
            try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                    .asFastAsPossible()
                    .rowsPerTransaction(3)
                    .maxChanges(3_000)
                    .seed(7)
                    .build()) {
                traffic = gen.runBlocking();
            }
            Map<DemoTable, Long> expected = CaptureFixture.expectedEvents(seeded, List.of(traffic));
            CaptureFixture.awaitEvents(log, expected, Duration.ofMinutes(3), () -> alive(run));

            try (Connection c = PG.get().connect(db)) {
                CaptureFixture.assertLogEqualsDatabase(log, c, expected);
            }
            Deadline.of(Duration.ofSeconds(60))
                    .await("the replicationSlotLagBytes gauge", () -> ProgressMetrics.slotLagBytes() >= 0);
        }
    }

    static void alive(PipelineRun run) {
        try {
            run.assertAlive();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
