package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.adversarial.ChangeFact;
import io.tributary.harness.adversarial.DecodedChange;
import io.tributary.harness.adversarial.DecodedOracle;
import io.tributary.harness.adversarial.TestDecodingSlot;
import io.tributary.harness.pgbench.PgbenchSchema;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pgbench's schema in ONE job: three tables with a primary key and {@code pgbench_history} without one (REPLICA
 * IDENTITY FULL, keyed by {@code key-columns}). Flink CDC 3.5 takes one snapshot chunk key for all tables, so
 * before the per-table split column ({@code PostgresChunkDialect}) this job could not start. The history rows
 * written before the start arrive as snapshot rows; a TPC-B workload from two sessions is checked change by change
 * against a {@code test_decoding} slot created before it; the log's latest state equals SELECT.
 */
class PgbenchOneJobITCase {
    private static final List<String> HISTORY_KEY = List.of("aid", "tid", "bid", "delta");

    @Test
    void tablesWithAndWithoutPrimaryKeyAreCapturedByOneJob(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("pgbench");
            PgbenchSchema pgbench = new PgbenchSchema(2, 5_000);
            Map<TableId, List<String>> keyColumns = new LinkedHashMap<>();
            Map<TableId, List<List<String>>> snapshotKeys = new TreeMap<>();
            TestDecodingSlot oracle;
            try (Connection c = pg.connect(db)) {
                pgbench.init(c);
                try (var s = c.createStatement()) {
                    s.execute("ALTER TABLE pgbench_history REPLICA IDENTITY FULL");
                }
                // history rows before the start, so the keyless table has a snapshot to read
                assertThat(pgbench.run(() -> pg.connect(db), 1, 40, 1)).isEqualTo(40);
                keyColumns.putAll(TestDecodingSlot.primaryKeys(
                        c, List.of(PgbenchSchema.ACCOUNTS, PgbenchSchema.BRANCHES, PgbenchSchema.TELLERS)));
                keyColumns.put(PgbenchSchema.HISTORY, HISTORY_KEY);
                for (TableId t : PgbenchSchema.TABLES) {
                    snapshotKeys.put(t, TableFacts.keys(c, t, keyColumns.get(t)));
                }
                oracle = TestDecodingSlot.create(c, "pgbench_oracle");
            }
            Path log = dir.resolve("log");
            JobConfig config = config(pg, db, log);
            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true),
                    2)) {
                // Changes made while a chunk is read fold into its snapshot rows: the workload starts after the
                // snapshot.
                TableFacts.awaitSnapshot(log, snapshotKeys, run);
                assertThat(TableFacts.keysPerTable(TableFacts.read(log).snapshot()))
                        .as("snapshot rows: every row of every table, once")
                        .isEqualTo(snapshotKeys);

                long committed = pgbench.run(() -> pg.connect(db), 2, 400, 7);
                assertThat(committed).isEqualTo(400);
                List<DecodedChange> decoded;
                try (Connection c = pg.connect(db)) {
                    decoded = oracle.drain(c);
                    oracle.drop(c);
                }
                List<ChangeFact> expected = DecodedOracle.expected(decoded, keyColumns);
                assertThat(expected)
                        .as("decoded TPC-B changes: 4 row changes per transaction")
                        .hasSize(4 * 400);
                TableFacts.assertStreamed(log, expected, run);
                try (Connection c = pg.connect(db)) {
                    TableFacts.assertLatestStateEqualsTables(c, log, PgbenchSchema.TABLES);
                }
            }
        }
    }

    private static JobConfig config(PostgresStandIn pg, String db, Path log) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        Map<String, String> source = TableFacts.source(pg, db, "pgbench", PgbenchSchema.INCLUDE);
        source.put("key-columns", PgbenchSchema.HISTORY + "(" + String.join(",", HISTORY_KEY) + ")");
        source.put("snapshot.split-size", "1000");
        groups.put("source.postgres", source);
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
