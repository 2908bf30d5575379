package io.tributary.s3;

import static io.tributary.s3.EventLogFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A TRUNCATE in the event log: one row with op T and no values, read back, and cutting the latest-state queries. */
class EventLogTruncateTest {
    private final TableSchema widgets = EventLogFixtures.simple("public", "widgets");

    @TempDir
    Path dir;

    /** Rows 1, 2, 3; row 2 updated; TRUNCATE at 500 (10:30); then 2 again (a reused key) and 4. */
    private List<ChangeEvent> history() {
        ChangeEvent truncate = ChangeEvent.builder()
                .schema(widgets)
                .op(Op.TRUNCATE)
                .commitLsn(500)
                .changeLsn(500)
                .txId(50)
                .commitTimeMicros(EventLogFixtures.micros("2026-11-23T10:30:00Z"))
                .build();
        return List.of(
                event(widgets, Op.INSERT, null, Row.of(1, "bolt"), 100, 100, "2026-11-23T10:00:00Z"),
                event(widgets, Op.INSERT, null, Row.of(2, "nut"), 110, 110, "2026-11-23T10:01:00Z"),
                event(widgets, Op.INSERT, null, Row.of(3, "gear"), 120, 120, "2026-11-23T10:02:00Z"),
                event(widgets, Op.UPDATE, Row.of(2, "nut"), Row.of(2, "big nut"), 130, 130, "2026-11-23T10:03:00Z"),
                truncate,
                event(widgets, Op.INSERT, null, Row.of(2, "new nut"), 600, 600, "2026-11-23T10:40:00Z"),
                event(widgets, Op.INSERT, null, Row.of(4, "cog"), 610, 610, "2026-11-23T10:41:00Z"));
    }

    @Test
    void truncateIsOneRowWithOpTNoValuesAndItsEnvelope() throws Exception {
        List<ChangeEvent> events = history();
        org.apache.flink.core.fs.Path file = ParquetEventLogReaderTest.write(part("part-0.parquet"), events);

        assertThat(ParquetEventLogReaderTest.readAll(file))
                .as("the reader is the writer's inverse, T included")
                .containsExactlyElementsOf(events);
        List<Map<String, Object>> rows = query("SELECT op, id, name, old_image, lsn, change_lsn, tx_id, event_id,"
                + " CAST(commit_ts AS VARCHAR) AS ts FROM " + relation() + " WHERE op = 'T'");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0))
                .containsEntry("id", null)
                .containsEntry("name", null)
                .containsEntry("old_image", null)
                .containsEntry("lsn", 500L)
                .containsEntry("change_lsn", 500L)
                .containsEntry("tx_id", 50L)
                .containsEntry("event_id", events.get(4).eventId())
                .containsEntry("ts", "2026-11-23 10:30:00+00");
    }

    @Test
    void latestStateAndAsOfTreatRowsBeforeTheLatestTruncateAsGone() throws Exception {
        ParquetEventLogReaderTest.write(part("part-0.parquet"), history().subList(0, 5));
        ParquetEventLogReaderTest.write(part("part-1.parquet"), history().subList(5, 7));

        assertThat(names(EventLogSql.latestState(widgets, relation())))
                .containsExactly(Map.entry(2, "new nut"), Map.entry(4, "cog"));
        assertThat(names(asOf("2026-11-23T10:29:59Z")))
                .as("before the truncate")
                .containsExactly(Map.entry(1, "bolt"), Map.entry(2, "big nut"), Map.entry(3, "gear"));
        assertThat(names(asOf("2026-11-23T10:30:00Z"))).as("at the truncate").isEmpty();
        assertThat(names(asOf("2026-11-23T10:40:00Z")))
                .as("after it, the reused key only")
                .containsExactly(Map.entry(2, "new nut"));
    }

    @Test
    void aSecondTruncateCutsAgainAndAnEmptyLogHasNoCut() throws Exception {
        List<ChangeEvent> events = new ArrayList<>(history());
        events.add(ChangeEvent.builder()
                .schema(widgets)
                .op(Op.TRUNCATE)
                .commitLsn(700)
                .changeLsn(700)
                .txId(70)
                .commitTimeMicros(EventLogFixtures.micros("2026-11-23T10:50:00Z"))
                .build());
        events.add(event(widgets, Op.INSERT, null, Row.of(9, "pin"), 800, 800, "2026-11-23T10:55:00Z"));
        ParquetEventLogReaderTest.write(part("part-0.parquet"), events);

        assertThat(names(EventLogSql.latestState(widgets, relation()))).containsExactly(Map.entry(9, "pin"));
        assertThat(names(asOf("2026-11-23T10:45:00Z"))).containsExactly(Map.entry(2, "new nut"), Map.entry(4, "cog"));
    }

    @Test
    void truncateRowsAreFoundFromThePositionColumnsAlone() throws Exception {
        List<ChangeEvent> events = history();
        org.apache.flink.core.fs.Path withTruncate = ParquetEventLogReaderTest.write(part("part-0.parquet"), events);
        org.apache.flink.core.fs.Path without =
                ParquetEventLogReaderTest.write(part("part-1.parquet"), events.subList(0, 4));

        List<ChangeEvent> found = EventLogTruncates.read(withTruncate);

        assertThat(found).containsExactly(events.get(4));
        assertThat(found.get(0).eventId()).isEqualTo(events.get(4).eventId());
        assertThat(EventLogTruncates.read(without)).isEmpty();
    }

    private List<Map.Entry<Integer, String>> names(String sql) throws Exception {
        Map<Integer, String> byId = new TreeMap<>();
        for (Map<String, Object> r : query(sql)) {
            byId.put((Integer) r.get("id"), (String) r.get("name"));
        }
        return new ArrayList<>(byId.entrySet());
    }

    private String asOf(String instant) {
        return EventLogSql.asOf(widgets, relation(), Instant.parse(instant), EventLogSql.Dialect.DUCKDB);
    }

    private Path part(String name) throws Exception {
        Path hour = dir.resolve("public.widgets/dt=2026-11-23/hr=10");
        Files.createDirectories(hour);
        return hour.resolve(name);
    }

    private String relation() {
        return "read_parquet('" + dir + "/public.widgets/**/*.parquet', hive_partitioning=true, union_by_name=true)";
    }

    private static List<Map<String, Object>> query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("SET TimeZone='UTC'");
            try (ResultSet rs = s.executeQuery(sql)) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
