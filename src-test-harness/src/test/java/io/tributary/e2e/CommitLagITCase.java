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
import io.tributary.job.Endpoints;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.postgres.PostgresSlotLag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code commitLagMillis} against real PostgreSQL and the job on a MiniCluster: caught up, it stays
 * below a bound set by the slot poll interval while the captured tables are idle and the database
 * writes WAL elsewhere (a table outside the publication); after a restore with a backlog committed
 * while the job was stopped, it shows the backlog's age, read from PostgreSQL's clock.
 */
class CommitLagITCase {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLagITCase.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    /**
     * Caught up, the lag is at most the time since the last poll plus the poll's own duration; the
     * rest is room for a loaded 2-core machine delaying the poller thread.
     */
    private static final long IDLE_BOUND_MILLIS = 5 * POLL.toMillis();

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void lagStaysFlatWhenCaughtUpAndShowsTheAgeOfABacklog(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("commit_lag");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 300);
        PG.get().executeIn(db, "CREATE TABLE public.not_captured (id bigserial PRIMARY KEY, v text)");
        Path log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 200);
        List<TrafficCounts> traffic = new ArrayList<>();
        String savepoint;

        ProgressMetrics.reset();
        try (PipelineRun run = PipelineRun.start(
                config,
                endpoints(config),
                PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                2)) {
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
            try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                    .asFastAsPossible()
                    .rowsPerTransaction(2)
                    .maxChanges(300)
                    .seed(5)
                    .build()) {
                traffic.add(gen.runBlocking());
            }
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, traffic),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));

            // caught up: the lag comes down to the bound (the traffic's arrival delays age out of their window)
            Deadline.of(Duration.ofMinutes(3))
                    .await(
                            () -> "commit lag at most " + IDLE_BOUND_MILLIS + " ms, is "
                                    + ProgressMetrics.commitLagMillis(),
                            () -> {
                                EventLogEndToEndITCase.alive(run);
                                long lag = ProgressMetrics.commitLagMillis();
                                return lag >= 0 && lag <= IDLE_BOUND_MILLIS;
                            });
            // captured tables idle, the database busy elsewhere: WAL moves past the job's last change; for
            // twelve poll intervals on PostgreSQL's clock (past the bound, so a lag that grows while idle fails)
            long[] maxIdleLag = {0};
            long walBefore = walLsn(db);
            long idleFrom = dbMillis(db);
            long span = 12 * POLL.toMillis();
            try (Connection c = PG.get().connect(db);
                    Statement s = c.createStatement()) {
                Deadline.of(Duration.ofMinutes(2)).await("twelve poll intervals of idle captured tables", () -> {
                    EventLogEndToEndITCase.alive(run);
                    s.execute(
                            "INSERT INTO public.not_captured (v) SELECT repeat('x', 200) FROM generate_series(1, 50)");
                    long lag = ProgressMetrics.commitLagMillis();
                    assertThat(lag)
                            .as("commit lag while the captured tables are idle")
                            .isBetween(0L, IDLE_BOUND_MILLIS);
                    maxIdleLag[0] = Math.max(maxIdleLag[0], lag);
                    return dbMillis(db) - idleFrom >= span;
                });
            }
            assertThat(walLsn(db))
                    .as("the database wrote WAL outside the publication")
                    .isGreaterThan(walBefore);
            LOG.info("[commit-lag] idle captured tables, WAL written elsewhere: max " + maxIdleLag[0] + " ms over "
                    + span + " ms; positions " + positions(db));
            savepoint = run.stopWithSavepoint(dir.resolve("savepoints"));
        }

        // a backlog committed while the job is stopped, aged on PostgreSQL's clock past the idle bound
        PG.get()
                .executeIn(
                        db,
                        "UPDATE public.customers SET loyalty_points = coalesce(loyalty_points, 0) + 1 WHERE id % 5 = 0");
        long committedAt = dbMillis(db);
        long minAge = 4 * IDLE_BOUND_MILLIS;
        Deadline.of(Duration.ofMinutes(1))
                .await("the backlog to be " + minAge + " ms old", () -> dbMillis(db) - committedAt >= minAge);

        ProgressMetrics.reset();
        try (PipelineRun restored = PipelineRun.restore(
                config,
                endpoints(config),
                PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                2,
                savepoint)) {
            long restoredAt = dbMillis(db);
            long[] seen = {-1};
            Deadline.of(Duration.ofMinutes(2))
                    .await(
                            () -> "commit lag of at least the backlog's age at restore (" + (restoredAt - committedAt)
                                    + " ms); max seen " + seen[0],
                            () -> {
                                EventLogEndToEndITCase.alive(restored);
                                seen[0] = Math.max(seen[0], ProgressMetrics.commitLagMillis());
                                return seen[0] >= restoredAt - committedAt;
                            });
            assertThat(seen[0]).isGreaterThan(IDLE_BOUND_MILLIS);
            LOG.info("[commit-lag] backlog " + (restoredAt - committedAt) + " ms old at restore: lag " + seen[0]
                    + " ms");
            // caught up again: it comes back down
            Deadline.of(Duration.ofMinutes(3))
                    .await(
                            () -> "commit lag back at most " + IDLE_BOUND_MILLIS + " ms, is "
                                    + ProgressMetrics.commitLagMillis(),
                            () -> {
                                EventLogEndToEndITCase.alive(restored);
                                long lag = ProgressMetrics.commitLagMillis();
                                return lag >= 0 && lag <= IDLE_BOUND_MILLIS;
                            });
        }
    }

    private static Endpoints endpoints(JobConfig config) {
        return ProductionEndpoints.create(config).withSlotLag(new PostgresSlotLag(config.sourceSettings(), POLL));
    }

    /** WAL end, the walsender's sent position and the slot's confirmed position, for the test's output. */
    private static String positions(String db) throws SQLException {
        try (Connection c = PG.get().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT pg_current_wal_lsn(), r.sent_lsn, r.write_lsn, r.flush_lsn, s.confirmed_flush_lsn"
                                + " FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid"
                                + " WHERE s.slot_name = 'tributary_" + db + "'")) {
            rs.next();
            return "wal=" + rs.getString(1) + " sent=" + rs.getString(2) + " write=" + rs.getString(3) + " flush="
                    + rs.getString(4) + " confirmed_flush=" + rs.getString(5);
        }
    }

    private static long walLsn(String db) throws SQLException {
        return queryLong(db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
    }

    private static long dbMillis(String db) throws SQLException {
        return queryLong(db, "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint");
    }

    private static long queryLong(String db, String sql) throws SQLException {
        try (Connection c = PG.get().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
