package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.adversarial.ChangeFact;
import io.tributary.harness.adversarial.ChangeFactComparison;
import io.tributary.harness.adversarial.EventLogFacts;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.harness.verify.EventLogVerifier;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Event-log facts per table for the table-selection tests: snapshot keys, streamed changes, latest state. */
final class TableFacts {
    private TableFacts() {}

    /** The log's streamed changes and snapshot rows of every table it holds. */
    static EventLogFacts read(Path log) throws Exception {
        List<ChangeFact> streamed = new ArrayList<>();
        List<ChangeFact> snapshot = new ArrayList<>();
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                EventLogDuckDb duck = EventLogDuckDb.open(log)) {
            for (TableSchema s : verifier.schemas().values()) {
                EventLogFacts f = EventLogFacts.read(duck, log, s);
                streamed.addAll(f.streamed());
                snapshot.addAll(f.snapshot());
            }
        }
        return EventLogFacts.of(streamed, snapshot);
    }

    /** Keys per table, each table's keys sorted. */
    static Map<TableId, List<List<String>>> keysPerTable(Collection<ChangeFact> facts) {
        Map<TableId, List<List<String>>> out = new TreeMap<>();
        for (ChangeFact f : facts) {
            out.computeIfAbsent(f.table(), t -> new ArrayList<>()).add(f.key());
        }
        out.values().forEach(keys -> keys.sort(TableFacts::compareKeys));
        return out;
    }

    /** The keys of {@code t}'s rows as PostgreSQL prints them, sorted. */
    static List<List<String>> keys(Connection c, TableId t, List<String> columns) throws SQLException {
        String select = columns.stream().map(k -> k + "::text").collect(Collectors.joining(" || chr(1) || "));
        List<List<String>> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + select + " FROM " + t)) {
            while (rs.next()) {
                out.add(List.of(rs.getString(1).split("\u0001", -1)));
            }
        }
        out.sort(TableFacts::compareKeys);
        return out;
    }

    /** Waits until the log holds at least as many snapshot rows per table as {@code expected} names. */
    static void awaitSnapshot(Path log, Map<TableId, List<List<String>>> expected, PipelineRun run) throws Exception {
        Map<TableId, List<List<String>>> seen = new TreeMap<>();
        Deadline.of(Duration.ofMinutes(4))
                .await(() -> "snapshot rows in the event log; seen " + sizes(seen) + " of " + sizes(expected), () -> {
                    EventLogEndToEndITCase.alive(run);
                    seen.clear();
                    seen.putAll(keysPerTable(read(log).snapshot()));
                    return expected.entrySet().stream()
                            .allMatch(e ->
                                    seen.getOrDefault(e.getKey(), List.of()).size()
                                            >= e.getValue().size());
                });
    }

    /** Waits until the log's streamed changes hold every expected one, then asserts they match exactly. */
    static void assertStreamed(Path log, List<ChangeFact> expected, PipelineRun run) throws Exception {
        ChangeFactComparison[] last = new ChangeFactComparison[1];
        Deadline.of(Duration.ofMinutes(3))
                .await(() -> "the event log to hold every decoded change:\n" + last[0], () -> {
                    EventLogEndToEndITCase.alive(run);
                    last[0] = ChangeFactComparison.compare(
                            "event log", expected, read(log).streamed());
                    return last[0].complete();
                });
        ChangeFactComparison exact =
                ChangeFactComparison.compare("event log", expected, read(log).streamed());
        assertThat(exact.matches())
                .withFailMessage("event log, event by event: %s", exact)
                .isTrue();
    }

    /** Each table's latest state in the log equals SELECT, and no event id appears twice. */
    static void assertLatestStateEqualsTables(Connection c, Path log, Collection<TableId> tables) throws Exception {
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            Map<TableId, TableSchema> schemas = verifier.schemas();
            for (TableId t : tables) {
                assertThat(schemas).as("tables in the event log").containsKey(t);
                assertThat(verifier.duplicateEventIds(t))
                        .as("duplicate event ids in %s", t)
                        .isEmpty();
                assertThat(EventLogVerifier.differences(
                                EventLogVerifier.databaseState(c, schemas.get(t)),
                                verifier.latestState(schemas.get(t)),
                                10))
                        .as("latest state of %s in the log vs SELECT", t)
                        .isEmpty();
            }
        }
    }

    /** Group source.postgres for the stand-in: slot and publication named {@code name}, tables {@code include}. */
    static Map<String, String> source(PostgresStandIn pg, String db, String name, String include) {
        Map<String, String> source = new HashMap<>(Map.of(
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
                name,
                "publication.name",
                name,
                "tables.include",
                include));
        source.put("heartbeat.interval", "1 s");
        return source;
    }

    private static String sizes(Map<TableId, List<List<String>>> keys) {
        return keys.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().size())
                .collect(Collectors.toList())
                .toString();
    }

    private static int compareKeys(List<String> a, List<String> b) {
        return String.join("\u0001", a).compareTo(String.join("\u0001", b));
    }
}
