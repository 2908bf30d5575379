package io.tributary.s3;

import static io.tributary.s3.EventLogFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The event log sink on a MiniCluster with checkpointing, read back with DuckDB. */
class ParquetEventLogSinkTest {
    private static final String PART =
            "part-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\\d+\\.parquet";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    @Test
    void everyEventLandsExactlyOnceAndASchemaChangeStartsANewFile() throws Exception {
        TableSchema v1 = EventLogFixtures.simple("public", "widgets");
        TableSchema v2 = EventLogFixtures.simpleWithQty("public", "widgets");
        TableSchema all = EventLogFixtures.allTypes();
        List<ChangeEvent> events = new ArrayList<>();
        events.add(event(v1, Op.INSERT, null, Row.of(1, "bolt"), 100, 0, "2026-11-23T10:00:00Z"));
        events.add(event(v1, Op.INSERT, null, Row.of(2, "nut"), 110, 1, "2026-11-23T10:05:00Z"));
        events.add(event(
                all,
                Op.INSERT,
                null,
                ParquetEventLogRecordConverterTest.fullRow(1, "9.990"),
                115,
                1,
                "2026-11-23T10:06:00Z"));
        events.add(event(v1, Op.UPDATE, Row.of(1, "bolt"), Row.of(1, "big bolt"), 120, 1, "2026-11-23T10:10:00Z"));
        // ALTER TABLE widgets ADD COLUMN qty int8, in the same hour
        events.add(event(v2, Op.UPDATE, Row.of(2, "nut", null), Row.of(2, "nut", 5L), 130, 1, "2026-11-23T10:20:00Z"));
        events.add(event(v2, Op.DELETE, Row.of(1, "big bolt", null), null, 140, 1, "2026-11-23T11:01:00Z"));
        events.add(event(
                all,
                Op.UPDATE,
                ParquetEventLogRecordConverterTest.fullRow(1, "9.990"),
                ParquetEventLogRecordConverterTest.fullRow(1, "10.000"),
                150,
                2,
                "2026-11-23T11:02:00Z"));

        runJob(events);

        List<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .collect(Collectors.toList());
        }
        // checkpoints may roll a bucket's file mid-stream, so count schemas, not files
        assertThat(files)
                .allSatisfy(f ->
                        assertThat(f).matches("(public\\.widgets|public\\.all_types)/dt=2026-11-23/hr=1[01]/" + PART));
        assertThat(files.stream().map(f -> f.substring(0, f.lastIndexOf('/'))).distinct())
                .containsExactlyInAnyOrder(
                        "public.widgets/dt=2026-11-23/hr=10",
                        "public.widgets/dt=2026-11-23/hr=11",
                        "public.all_types/dt=2026-11-23/hr=10",
                        "public.all_types/dt=2026-11-23/hr=11");
        Map<String, TableSchema> footers = new LinkedHashMap<>();
        for (String f : files) {
            footers.put(
                    dir.resolve(f).toString(),
                    EventLogCatalog.footerSchema(
                            new org.apache.flink.core.fs.Path(dir.resolve(f).toUri())));
        }
        assertThat(footers.entrySet().stream()
                        .filter(e -> e.getKey().contains("widgets/dt=2026-11-23/hr=10/"))
                        .map(Map.Entry::getValue)
                        .distinct())
                .as("both schema versions of one hour are in the same directory")
                .containsExactlyInAnyOrder(v1, v2);
        Map<String, ChangeEvent> byId = events.stream().collect(Collectors.toMap(ChangeEvent::eventId, e -> e));
        List<Map<String, Object>> located = query("SELECT event_id, filename FROM read_parquet('" + dir
                + "/**/*.parquet', filename=true, union_by_name=true)");
        assertThat(located).hasSize(events.size());
        assertThat(located)
                .allSatisfy(r -> assertThat(footers.get((String) r.get("filename")))
                        .as("file schema of %s", r.get("event_id"))
                        .isEqualTo(byId.get((String) r.get("event_id")).schema()));

        List<Map<String, Object>> widgets = query(EventLogSql.allEvents(relation("public.widgets")));
        assertThat(widgets)
                .extracting(r -> r.get("event_id"))
                .containsExactlyElementsOf(events.stream()
                        .filter(e -> e.table().table().equals("widgets"))
                        .map(ChangeEvent::eventId)
                        .collect(Collectors.toList()));
        assertThat(widgets).extracting(r -> r.get("op")).containsExactly("I", "I", "U", "U", "D");
        assertThat(widgets).extracting(r -> r.get("qty")).containsExactly(null, null, null, 5L, null);
        assertThat(widgets)
                .extracting(r -> r.get("name"))
                .containsExactly("bolt", "nut", "big bolt", "nut", "big bolt");
        assertThat(widgets).extracting(r -> String.valueOf(r.get("hr"))).containsExactly("10", "10", "10", "10", "11");

        List<Map<String, Object>> latest = query(EventLogSql.latestState(v2, relation("public.widgets")));
        assertThat(latest).hasSize(1);
        assertThat(latest.get(0))
                .containsEntry("id", 2)
                .containsEntry("name", "nut")
                .containsEntry("qty", 5L);

        List<Map<String, Object>> asOf = query(EventLogSql.asOf(
                v2, relation("public.widgets"), Instant.parse("2026-11-23T10:10:00Z"), EventLogSql.Dialect.DUCKDB));
        assertThat(asOf).extracting(r -> r.get("name")).containsExactlyInAnyOrder("big bolt", "nut");

        List<Map<String, Object>> typed =
                query("SELECT CAST(price AS VARCHAR) AS price, CAST(zoned_ts AS VARCHAR) AS zts,"
                        + " CAST(local_ts AS VARCHAR) AS lts, CAST(clock AS VARCHAR) AS clock, CAST(day AS VARCHAR) AS day,"
                        + " CAST(tags AS VARCHAR) AS tags, CAST(amounts AS VARCHAR) AS amounts, huge, src_op, small,"
                        + " CAST(old_image.price AS VARCHAR) AS old_price, typeof(commit_ts) AS commit_type"
                        + " FROM " + relation("public.all_types") + " ORDER BY lsn");
        assertThat(typed.get(0))
                .containsEntry("price", "9.990")
                .containsEntry("zts", "2026-11-23 10:15:30.123456+00")
                .containsEntry("lts", "2026-11-23 10:15:30.123456")
                .containsEntry("clock", "10:15:30.123456")
                .containsEntry("day", "2026-11-23")
                .containsEntry("tags", "[a, NULL, c]")
                .containsEntry("amounts", "[1.50, NULL]")
                .containsEntry("src_op", "source-op")
                .containsEntry("small", -7)
                .containsEntry("old_price", null)
                .containsEntry("huge", "12345678901234567890123456789012345678901234.56789")
                .containsEntry("commit_type", "TIMESTAMP WITH TIME ZONE");
        assertThat(typed.get(1)).containsEntry("price", "10.000").containsEntry("old_price", "9.990");
    }

    private void runJob(List<ChangeEvent> events) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.fromData(events, TypeInformation.of(ChangeEvent.class))
                .sinkTo(ParquetEventLogSink.create(dir.toUri().toString()));
        env.execute("event log sink test");
    }

    private String relation(String table) {
        return "read_parquet('" + dir + "/" + table + "/**/*.parquet', hive_partitioning=true, union_by_name=true)";
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
