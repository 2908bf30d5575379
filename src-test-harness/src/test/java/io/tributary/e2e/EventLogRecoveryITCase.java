package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exactly-once across failures: the TaskManager dies once while the snapshot is being read and once
 * while changes stream, then the job is stopped with a savepoint, the database keeps changing, and
 * the job resumes from the savepoint. Afterwards the committed log must hold every change exactly
 * once, in order per row, and its latest state must equal the tables.
 */
class EventLogRecoveryITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void noChangeMissingOrDuplicatedAcrossTaskManagerFailuresAndSavepointResume(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("e2e_recovery");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 30_000);
        long seededTotal = seeded.values().stream().mapToLong(Long::longValue).sum();
        Path log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 500);
        Configuration flink = PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("checkpoints"), true);
        List<TrafficCounts> traffic = new ArrayList<>();

        ProgressMetrics.reset();
        String savepoint;
        try (PipelineRun run = PipelineRun.start(config, ProductionEndpoints.create(config), flink, 2)) {
            Deadline.of(Duration.ofMinutes(2))
                    .await("some snapshot rows through the sequencer", () -> snapshotRowsSeen() >= seededTotal / 10);
            assertThat(snapshotRowsSeen())
                    .as("the first failure must hit the snapshot phase")
                    .isLessThan(seededTotal);
            run.failTaskManager();
            // Changes made while a chunk is being read are folded into its snapshot rows, so the exact
            // accounting below needs the snapshot finished before the traffic starts.
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(4),
                    () -> EventLogEndToEndITCase.alive(run));

            try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                    .changesPerSecond(600)
                    .rowsPerTransaction(2)
                    .maxChanges(4_000)
                    .seed(11)
                    .build()) {
                gen.start();
                Deadline.of(Duration.ofMinutes(2))
                        .await("traffic under way", () -> gen.counts().total() >= 1_500);
                run.awaitRunning(Duration.ofMinutes(2));
                Deadline.of(Duration.ofMinutes(2))
                        .await(
                                "streamed changes through the sequencer",
                                () -> ProgressMetrics.changes().values().stream()
                                                .mapToLong(Long::longValue)
                                                .sum()
                                        > 0);
                run.failTaskManager();
                gen.awaitTermination(Duration.ofMinutes(3));
                gen.close();
                traffic.add(gen.counts());
            }
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(4),
                    () -> EventLogEndToEndITCase.alive(run));
            savepoint = run.stopWithSavepoint(dir.resolve("savepoints"));
        }

        try (TrafficGenerator whileStopped = TrafficGenerator.builder(
                        () -> PG.get().connect(db))
                .asFastAsPossible()
                .rowsPerTransaction(5)
                .maxChanges(1_000)
                .seed(12)
                .build()) {
            traffic.add(whileStopped.runBlocking());
        }
        try (PipelineRun resumed =
                PipelineRun.restore(config, ProductionEndpoints.create(config), flink, 2, savepoint)) {
            try (TrafficGenerator afterResume = TrafficGenerator.builder(
                            () -> PG.get().connect(db))
                    .asFastAsPossible()
                    .rowsPerTransaction(1)
                    .maxChanges(500)
                    .seed(13)
                    .build()) {
                traffic.add(afterResume.runBlocking());
            }
            Map<DemoTable, Long> expected = CaptureFixture.expectedEvents(seeded, traffic);
            CaptureFixture.awaitEvents(
                    log, expected, Duration.ofMinutes(4), () -> EventLogEndToEndITCase.alive(resumed));
            try (Connection c = PG.get().connect(db)) {
                CaptureFixture.assertLogEqualsDatabase(log, c, expected);
            }
        }
    }

    private static long snapshotRowsSeen() {
        return ProgressMetrics.snapshotRows().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }
}
