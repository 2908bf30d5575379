package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.s3.EventLogCatalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** ALTER TABLE ADD COLUMN and DROP COLUMN while changes stream: every change is kept, each file has one schema. */
class SchemaChangeITCase {
    private static final TableId ITEMS = new TableId("public", "items");

    @Test
    void addAndDropColumnMidStreamKeepEveryChange(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("schema_change");
            pg.executeIn(
                    db,
                    "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int)",
                    "INSERT INTO items SELECT g, 'item ' || g, g FROM generate_series(1, 100) g");
            Path log = dir.resolve("log");
            JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                    "source.postgres",
                            Map.of(
                                    "hostname",
                                    pg.host(),
                                    "port",
                                    Integer.toString(pg.port()),
                                    "database",
                                    db,
                                    "username",
                                    PostgresStandIn.USER,
                                    "password",
                                    PostgresStandIn.PASSWORD,
                                    "slot.name",
                                    "schema_change",
                                    "publication.name",
                                    "schema_change",
                                    "tables.include",
                                    "public\\.items"),
                    "sink.eventlog", Map.of("path", log.toUri().toString()))));
            Map<String, Long> expected =
                    new TreeMap<>(Map.of("snapshot", 100L, "I", 0L, "U", 0L, "D", 0L, EventLogVerifier.BASELINE, 1L));

            try (PipelineRun run = PipelineRun.start(
                            config,
                            ProductionEndpoints.create(config),
                            PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                            2);
                    EventLogVerifier verifier = EventLogVerifier.open(log)) {
                awaitCounts(verifier, expected, run);

                change(pg, db, expected, "U", "UPDATE items SET qty = qty + 1 WHERE id <= 20");
                change(
                        pg,
                        db,
                        expected,
                        "I",
                        "INSERT INTO items SELECT g, 'new ' || g, 1 FROM generate_series(101, 110) g");
                pg.executeIn(db, "ALTER TABLE items ADD COLUMN price numeric(10,2)");
                change(pg, db, expected, "U", "UPDATE items SET price = id * 1.25 WHERE id BETWEEN 10 AND 40");
                change(
                        pg,
                        db,
                        expected,
                        "I",
                        "INSERT INTO items SELECT g, 'priced ' || g, 2, 9.99 FROM generate_series(111, 120) g");
                pg.executeIn(db, "ALTER TABLE items DROP COLUMN qty");
                change(pg, db, expected, "U", "UPDATE items SET name = name || '!' WHERE id BETWEEN 30 AND 60");
                change(pg, db, expected, "D", "DELETE FROM items WHERE id BETWEEN 90 AND 105");
                change(
                        pg,
                        db,
                        expected,
                        "I",
                        "INSERT INTO items SELECT g, 'after drop ' || g, 1.5 FROM generate_series(121, 130) g");

                awaitCounts(verifier, expected, run);
                assertThat(verifier.counts(ITEMS)).isEqualTo(expected);
                assertThat(verifier.duplicateEventIds(ITEMS)).isEmpty();
                assertThat(columnSetsInFiles(log))
                        .as("column sets of the files' schemas")
                        .containsExactlyInAnyOrder(
                                List.of("id", "name", "qty"),
                                List.of("id", "name", "qty", "price"),
                                List.of("id", "name", "price"));

                TableSchema newest = verifier.schemas().get(ITEMS);
                assertThat(newest.columns()).extracting(c -> c.name()).containsExactly("id", "name", "price");
                try (Connection c = pg.connect(db)) {
                    assertThat(EventLogVerifier.differences(
                                    EventLogVerifier.databaseState(c, newest), verifier.latestState(newest), 10))
                            .isEmpty();
                }
            }
        }
    }

    private static void change(PostgresStandIn pg, String db, Map<String, Long> expected, String op, String sql)
            throws Exception {
        try (Connection c = pg.connect(db)) {
            int rows = c.createStatement().executeUpdate(sql);
            expected.merge(op, (long) rows, Long::sum);
        }
    }

    private static void awaitCounts(EventLogVerifier verifier, Map<String, Long> expected, PipelineRun run)
            throws Exception {
        Deadline.of(Duration.ofMinutes(2)).await(() -> "log counts " + expected, () -> {
            run.assertAlive();
            Map<String, Long> actual = verifier.counts(ITEMS);
            return actual.values().stream().mapToLong(Long::longValue).sum()
                    >= expected.values().stream().mapToLong(Long::longValue).sum();
        });
    }

    private static Set<List<String>> columnSetsInFiles(Path log) throws Exception {
        Set<List<String>> columnSets = new HashSet<>();
        try (Stream<Path> files = Files.walk(log.resolve(ITEMS.toString()))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".parquet"))::iterator) {
                TableSchema schema = EventLogCatalog.footerSchema(new org.apache.flink.core.fs.Path(f.toUri()));
                columnSets.add(schema.columns().stream().map(c -> c.name()).collect(Collectors.toList()));
            }
        }
        return columnSets;
    }
}
