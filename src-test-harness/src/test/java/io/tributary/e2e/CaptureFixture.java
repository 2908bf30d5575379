package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the end-to-end tests share: a configuration for the demo tables, and the checks on the log. */
public final class CaptureFixture {
    public static final String DEMO_TABLES = "public\\.(customers|products|orders|order_lines)";

    private CaptureFixture() {}

    public static JobConfig config(PostgresStandIn pg, String database, Path log, int splitSize) {
        Map<String, String> source = new HashMap<>();
        source.put("hostname", pg.host());
        source.put("port", Integer.toString(pg.port()));
        source.put("database", database);
        source.put("username", PostgresStandIn.USER);
        source.put("password", PostgresStandIn.PASSWORD);
        source.put("slot.name", "tributary_" + database);
        source.put("publication.name", "tributary_" + database);
        source.put("tables.include", DEMO_TABLES);
        source.put("snapshot.split-size", Integer.toString(splitSize));
        source.put("heartbeat.interval", "1 s");
        return JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                source,
                "sink.eventlog",
                Map.of("path", log.toUri().toString()))));
    }

    /** Creates the demo schema in {@code db} and seeds {@code rows} rows; returns the rows per table. */
    static Map<DemoTable, Long> seedDemo(PostgresStandIn pg, String db, long rows) throws SQLException {
        try (Connection c = pg.connect(db)) {
            DemoSchema.create(c);
            return DemoSchema.seed(c, rows);
        }
    }

    /** Expected events per table: the seeded rows as snapshot rows plus every committed change. */
    public static Map<DemoTable, Long> expectedEvents(Map<DemoTable, Long> seeded, List<TrafficCounts> traffic) {
        Map<DemoTable, Long> expected = new EnumMap<>(DemoTable.class);
        for (DemoTable t : DemoTable.values()) {
            long n = seeded.getOrDefault(t, 0L);
            for (TrafficCounts c : traffic) {
                n += c.changes(t);
            }
            expected.put(t, n);
        }
        return expected;
    }

    /**
     * Waits until the committed log holds {@code expected} rows and changes per table (or more, which then fails);
     * snapshot baselines are not counted, as in {@link EventLogVerifier#total}.
     */
    public static void awaitEvents(Path log, Map<DemoTable, Long> expected, Duration timeout, Runnable alive)
            throws Exception {
        Map<DemoTable, Map<String, Long>> seen = new EnumMap<>(DemoTable.class);
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            Deadline.of(timeout).await(() -> "event log to hold " + expected + "; it holds " + seen, () -> {
                alive.run();
                boolean complete = true;
                for (DemoTable t : DemoTable.values()) {
                    Map<String, Long> counts = verifier.counts(t.tableId());
                    seen.put(t, counts);
                    complete &= counts.entrySet().stream()
                                    .filter(e -> !e.getKey().equals(EventLogVerifier.BASELINE))
                                    .mapToLong(Map.Entry::getValue)
                                    .sum()
                            >= expected.get(t);
                }
                return complete;
            });
        }
    }

    /**
     * The guarantee: per table exactly the expected number of events, no event id twice, every
     * row's history whole and ordered, and the latest state equal to the database's rows.
     */
    static void assertLogEqualsDatabase(Path log, Connection db, Map<DemoTable, Long> expected) throws Exception {
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            Map<TableId, TableSchema> schemas = verifier.schemas();
            for (DemoTable t : DemoTable.values()) {
                TableId id = t.tableId();
                assertThat(verifier.total(id))
                        .as("events of %s (%s)", id, verifier.counts(id))
                        .isEqualTo(expected.get(t));
                assertThat(verifier.duplicateEventIds(id))
                        .as("duplicate event ids in %s", id)
                        .isEmpty();
                TableSchema schema = schemas.get(id);
                assertThat(verifier.chainViolations(schema))
                        .as("per-row history of %s", id)
                        .isEmpty();
                assertThat(EventLogVerifier.differences(
                                EventLogVerifier.databaseState(db, schema), verifier.latestState(schema), 10))
                        .as("latest state of %s vs the database", id)
                        .isEmpty();
            }
        }
    }

    /** The repository root (where docs/formats lives), from the test's working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("docs/formats"))) {
            p = p.getParent();
        }
        return p;
    }
}
