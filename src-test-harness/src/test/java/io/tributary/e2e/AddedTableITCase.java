package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.adversarial.ChangeFact;
import io.tributary.harness.adversarial.DecodedChange;
import io.tributary.harness.adversarial.DecodedOracle;
import io.tributary.harness.adversarial.TestDecodingSlot;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.postgres.PostgresPublication;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Tables added to and removed from {@code tables.include} on a restored job. The job captures {@code added_kept} and
 * {@code added_dropped}, is stopped with a savepoint and restored with {@code added_new} in their place of
 * {@code added_dropped}: the new table's existing rows arrive as snapshot rows (rows and changes made while it was
 * not captured included, as their result) and its later changes stream, each exactly once; the dropped table's
 * changes after the stop never arrive; the kept table misses and repeats nothing; the publication holds exactly the
 * captured tables. Every change is checked against {@code test_decoding} slots.
 */
class AddedTableITCase {
    private static final TableId KEPT = new TableId("public", "added_kept");
    private static final TableId DROPPED = new TableId("public", "added_dropped");
    private static final TableId NEW = new TableId("public", "added_new");
    private static final List<TableId> TABLES = List.of(KEPT, DROPPED, NEW);
    private static final Map<TableId, List<String>> KEYS =
            Map.of(KEPT, List.of("id"), DROPPED, List.of("id"), NEW, List.of("id"));

    @Test
    void addedTableIsSnapshottedThenStreamedAndRemovedTableStops(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("added");
            TestDecodingSlot oracle;
            try (Connection c = pg.connect(db)) {
                for (TableId t : TABLES) {
                    sql(
                            c,
                            "CREATE TABLE " + t + " (id int PRIMARY KEY, v text)",
                            "INSERT INTO " + t + " SELECT g, 'seed ' || g FROM generate_series(1, 50) g");
                }
                oracle = TestDecodingSlot.create(c, "added_oracle");
            }
            Path log = dir.resolve("log");
            Configuration flink = PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("cp"), true);

            JobConfig first = config(pg, db, log, "public\\.added_kept;public\\.added_dropped");
            String savepoint;
            List<DecodedChange> decodedAtStop;
            try (PipelineRun run = PipelineRun.start(first, ProductionEndpoints.create(first), flink, 2)) {
                TableFacts.awaitSnapshot(log, Map.of(KEPT, keys(pg, db, KEPT), DROPPED, keys(pg, db, DROPPED)), run);
                changeAll(pg, db, 100);
                try (Connection c = pg.connect(db)) {
                    decodedAtStop = oracle.drain(c);
                }
                TableFacts.assertStreamed(log, expected(decodedAtStop, KEPT, DROPPED), run);
                savepoint = run.stopWithSavepoint(dir.resolve("savepoints"));
            }
            changeAll(pg, db, 200); // while stopped: the new table's changes here reach it only through its snapshot

            JobConfig second = config(pg, db, log, "public\\.added_kept;public\\.added_new");
            try (PipelineRun run =
                    PipelineRun.restore(second, ProductionEndpoints.create(second), flink, 2, savepoint)) {
                Map<TableId, List<List<String>>> newRows = Map.of(NEW, keys(pg, db, NEW));
                TableFacts.awaitSnapshot(log, newRows, run);
                assertThat(TableFacts.keysPerTable(TableFacts.read(log).snapshot())
                                .get(NEW))
                        .as("snapshot rows of the added table: each of its rows at the restore, once")
                        .isEqualTo(newRows.get(NEW));
                TestDecodingSlot afterSnapshot;
                try (Connection c = pg.connect(db)) {
                    afterSnapshot = TestDecodingSlot.create(c, "added_after");
                    assertThat(PostgresPublication.read(c, "added").tables())
                            .as("publication")
                            .containsExactlyInAnyOrder(NEW, KEPT);
                }
                changeAll(pg, db, 300);
                List<DecodedChange> all;
                List<DecodedChange> streamedNew;
                try (Connection c = pg.connect(db)) {
                    all = oracle.drain(c);
                    streamedNew = afterSnapshot.drain(c);
                    oracle.drop(c);
                    afterSnapshot.drop(c);
                }
                List<ChangeFact> expected = expected(all, KEPT);
                expected.addAll(expected(decodedAtStop, DROPPED));
                expected.addAll(expected(streamedNew, NEW));
                TableFacts.assertStreamed(log, expected, run);
                try (Connection c = pg.connect(db)) {
                    TableFacts.assertLatestStateEqualsTables(c, log, List.of(KEPT, NEW));
                }
            }
        }
    }

    /** The decoded changes of {@code tables}, as row events. */
    private static List<ChangeFact> expected(List<DecodedChange> decoded, TableId... tables) {
        Map<TableId, List<String>> keys = new TreeMap<>();
        for (TableId t : tables) {
            keys.put(t, KEYS.get(t));
        }
        return DecodedOracle.expected(decoded, keys).stream().collect(Collectors.toList());
    }

    /** One transaction per table: 5 inserts, 5 updates of seeded rows, 2 deletes of seeded rows. */
    private static void changeAll(PostgresStandIn pg, String db, int base) throws SQLException {
        try (Connection c = pg.connect(db)) {
            for (TableId t : TABLES) {
                sql(
                        c,
                        "BEGIN",
                        "INSERT INTO " + t + " SELECT g, 'new ' || g FROM generate_series(" + base + ", " + (base + 4)
                                + ") g",
                        "UPDATE " + t + " SET v = v || ' +" + base + "' WHERE id BETWEEN " + (base / 10) + " AND "
                                + (base / 10 + 4),
                        "DELETE FROM " + t + " WHERE id IN (" + (base / 10 + 20) + ", " + (base / 10 + 21) + ")",
                        "COMMIT");
            }
        }
    }

    private static List<List<String>> keys(PostgresStandIn pg, String db, TableId t) throws SQLException {
        try (Connection c = pg.connect(db)) {
            return TableFacts.keys(c, t, KEYS.get(t));
        }
    }

    private static void sql(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static JobConfig config(PostgresStandIn pg, String db, Path log, String include) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        Map<String, String> source = TableFacts.source(pg, db, "added", include);
        source.put("snapshot.split-size", "20");
        groups.put("source.postgres", source);
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
