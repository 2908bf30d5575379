package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Never skip a gap when the slot still exists: a restore whose slot is confirmed beyond the restored position (the
 * slot advanced by hand, or an older savepoint restored after a newer one confirmed it) stops with the documented
 * message and writes none of the changes in between; the newest savepoint restores and continues exactly once.
 */
class SlotGapITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void restoreAfterTheSlotWasAdvancedStopsAndWritesNothingOfTheGap(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("slot_advanced");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 500);
        Path log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 200);
        List<TrafficCounts> traffic = new ArrayList<>();
        String savepoint;
        try (PipelineRun run = start(config, dir)) {
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
            traffic.add(traffic(db, 31));
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
            savepoint = run.stopWithSavepoint(dir.resolve("savepoints"));
        }
        PG.get()
                .executeIn(
                        db,
                        "UPDATE public.customers SET loyalty_points = 1 WHERE id % 2 = 0",
                        "DELETE FROM public.orders WHERE id % 5 = 0");
        onStoppedSlot(db, "SELECT pg_replication_slot_advance('" + slotName(db) + "', pg_current_wal_lsn())");

        assertRefused(config, dir, savepoint, db);
        assertLogHolds(log, CaptureFixture.expectedEvents(seeded, traffic));
    }

    @Test
    void olderSavepointAfterANewerOneConfirmedTheSlotIsRefusedAndTheNewestRestores(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("slot_rollback");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 500);
        Path log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 200);
        List<TrafficCounts> traffic = new ArrayList<>();
        String older;
        try (PipelineRun run = start(config, dir)) {
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
            traffic.add(traffic(db, 41));
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
            older = run.stopWithSavepoint(dir.resolve("older"));
        }
        String walAtOlder = query(db, "SELECT pg_current_wal_lsn()::text");

        String newer;
        try (PipelineRun run = restore(config, dir, older)) {
            traffic.add(traffic(db, 42));
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
            // the newer run's checkpoints confirm the slot beyond everything the older savepoint had read
            Deadline.of(Duration.ofMinutes(2)).await("slot confirmed beyond " + walAtOlder, () -> {
                EventLogEndToEndITCase.alive(run);
                return "true"
                        .equals(query(
                                db,
                                "SELECT (confirmed_flush_lsn > '" + walAtOlder + "'::pg_lsn)::text"
                                        + " FROM pg_replication_slots WHERE slot_name = '" + slotName(db) + "'"));
            });
            newer = run.stopWithSavepoint(dir.resolve("newer"));
        }

        assertRefused(config, dir, older, db);
        assertLogHolds(log, CaptureFixture.expectedEvents(seeded, traffic));

        try (PipelineRun run = restore(config, dir, newer)) {
            traffic.add(traffic(db, 43));
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
        }
        try (Connection c = PG.get().connect(db)) {
            CaptureFixture.assertLogEqualsDatabase(log, c, CaptureFixture.expectedEvents(seeded, traffic));
        }
    }

    private static PipelineRun start(JobConfig config, Path dir) throws Exception {
        return PipelineRun.start(config, ProductionEndpoints.create(config), flinkConfig(dir), 2);
    }

    private static PipelineRun restore(JobConfig config, Path dir, String savepoint) throws Exception {
        return PipelineRun.restore(config, ProductionEndpoints.create(config), flinkConfig(dir), 2, savepoint);
    }

    private static Configuration flinkConfig(Path dir) {
        return PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true);
    }

    private static TrafficCounts traffic(String db, long seed) throws Exception {
        try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                .asFastAsPossible()
                .rowsPerTransaction(2)
                .maxChanges(300)
                .seed(seed)
                .build()) {
            return gen.runBlocking();
        }
    }

    /** Restores {@code savepoint} and expects the job to fail for good with the advanced-slot message. */
    private static void assertRefused(JobConfig config, Path dir, String savepoint, String db) throws Exception {
        try (PipelineRun restored = restore(config, dir, savepoint)) {
            Deadline.of(Duration.ofMinutes(2))
                    .await("the restored job to stop", () -> restored.status().isGloballyTerminalState());
            assertThat(restored.status()).isEqualTo(JobStatus.FAILED);
            Throwable cause = restored.cluster()
                    .requestJobResult(restored.jobId())
                    .get(1, TimeUnit.MINUTES)
                    .getSerializedThrowable()
                    .orElseThrow()
                    .deserializeError(SlotGapITCase.class.getClassLoader());
            assertThat(ExceptionUtils.stringifyException(cause))
                    .contains("replication slot '" + slotName(db) + "' on ")
                    .contains("is confirmed up to")
                    .contains("beyond the position")
                    .contains("restore the newest checkpoint or savepoint instead")
                    .contains("WITHOUT the savepoint or checkpoint")
                    .contains("snapshot.mode=initial");
        }
    }

    /** The committed log holds exactly {@code expected} rows and changes per table, each once. */
    private static void assertLogHolds(Path log, Map<DemoTable, Long> expected) throws SQLException {
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            for (DemoTable t : DemoTable.values()) {
                assertThat(verifier.total(t.tableId()))
                        .as("events of %s (%s)", t, verifier.counts(t.tableId()))
                        .isEqualTo(expected.get(t));
                assertThat(verifier.duplicateEventIds(t.tableId()))
                        .as("duplicate event ids in %s", t)
                        .isEmpty();
            }
        }
    }

    /** Runs {@code sql} on the slot once the stopped job's walsender has let go of it. */
    private static void onStoppedSlot(String db, String sql) throws Exception {
        Deadline.of(Duration.ofMinutes(1)).await("slot " + slotName(db) + " released for: " + sql, () -> {
            try (Connection c = PG.get().connect(db);
                    Statement s = c.createStatement()) {
                s.execute(sql);
                return true;
            } catch (SQLException e) {
                if (e.getMessage().contains("is active")) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static String query(String db, String sql) throws SQLException {
        try (Connection c = PG.get().connect(db);
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String slotName(String db) {
        return "tributary_" + db;
    }
}
