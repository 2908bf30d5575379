package io.tributary.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.S3StandIn;
import io.tributary.harness.verify.EventLogDuckDb;

import com.esotericsoftware.kryo.Serializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.runtime.kryo.JavaSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The event log sink writing to s3:// on the S3 stand-in through flink-s3-fs-hadoop. */
class ParquetEventLogS3ITCase {
    private static final String PART = "part-[0-9a-f-]{36}-\\d+\\.parquet";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    @RegisterExtension
    static final StandInExtension<S3StandIn> S3 = StandInExtension.s3();

    @TempDir
    java.nio.file.Path local;

    @BeforeAll
    static void useS3() {
        FileSystem.initialize(Configuration.fromMap(S3.get().flinkConfig()), null);
    }

    @AfterAll
    static void forgetS3() {
        FileSystem.initialize(new Configuration(), null);
    }

    @Test
    void sinkCommitsPartFilesToS3InTheLogLayout() throws Exception {
        String bucket = "events-" + UUID.randomUUID().toString().substring(0, 8);
        S3.get().createBucket(bucket);
        String base = "s3://" + bucket + "/log";

        TableSchema v1 = schema("widgets", false);
        TableSchema v2 = schema("widgets", true);
        TableSchema orders = schema("orders", false);
        List<ChangeEvent> events = List.of(
                event(v1, Op.INSERT, null, Row.of(1, new BigDecimal("1.50")), 100, "2026-11-23T10:00:00Z"),
                event(orders, Op.INSERT, null, Row.of(7, new BigDecimal("99.99")), 105, "2026-11-23T10:01:00Z"),
                event(
                        v2,
                        Op.UPDATE,
                        Row.of(1, new BigDecimal("1.50"), null),
                        Row.of(1, new BigDecimal("2.50"), "x"),
                        110,
                        "2026-11-23T10:02:00Z"),
                event(v2, Op.DELETE, Row.of(1, new BigDecimal("2.50"), "x"), null, 120, "2026-11-24T00:00:00Z"));

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.getConfig().addDefaultKryoSerializer(ChangeEvent.class, javaSerializer());
        env.fromData(events, TypeInformation.of(ChangeEvent.class)).sinkTo(ParquetEventLogSink.create(base));
        env.execute("event log to s3");

        List<String> objects = new ArrayList<>();
        listFiles(new Path(base), new Path(base), objects);
        assertThat(objects)
                .isNotEmpty()
                .allSatisfy(
                        o -> assertThat(o).matches("public\\.(widgets|orders)/dt=2026-11-2[34]/hr=(10|00)/" + PART));
        assertThat(objects.stream().map(o -> o.substring(0, o.lastIndexOf('/'))).distinct())
                .containsExactlyInAnyOrder(
                        "public.widgets/dt=2026-11-23/hr=10",
                        "public.orders/dt=2026-11-23/hr=10",
                        "public.widgets/dt=2026-11-24/hr=00");
        assertThat(objects.stream().filter(o -> o.startsWith("public.widgets/dt=2026-11-23/hr=10/")))
                .as("a schema change starts a new file")
                .hasSizeGreaterThanOrEqualTo(2);

        // read back: footers through the s3 file system, rows with DuckDB over a local copy
        assertThat(EventLogCatalog.read(base))
                .extracting(EventLogCatalog.Table::schema)
                .containsExactlyInAnyOrder(orders, v2);
        for (String o : objects) {
            copy(new Path(base + "/" + o), local.resolve(o));
        }
        try (EventLogDuckDb db = EventLogDuckDb.open(local)) {
            List<Map<String, Object>> widgets = db.allEvents(v2.table());
            assertThat(widgets)
                    .extracting(r -> r.get("event_id"))
                    .containsExactlyElementsOf(events.stream()
                            .filter(e -> e.table().equals(v2.table()))
                            .map(ChangeEvent::eventId)
                            .collect(Collectors.toList()));
            assertThat(db.latestState(v2)).isEmpty();
            assertThat(db.asOf(v2, Instant.parse("2026-11-23T10:02:00Z")))
                    .singleElement()
                    .satisfies(r -> assertThat(r)
                            .containsEntry("price", new BigDecimal("2.50"))
                            .containsEntry("note", "x"));
            assertThat(db.latestState(orders))
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("price")).isEqualTo(new BigDecimal("99.99")));
        }

        ByteArrayOutputStream ddl = new ByteArrayOutputStream();
        AthenaDdlCommand.print(base, "cdc", new PrintStream(ddl, true, StandardCharsets.UTF_8));
        assertThat(ddl.toString(StandardCharsets.UTF_8))
                .contains("CREATE EXTERNAL TABLE IF NOT EXISTS `cdc`.`public_widgets`")
                .contains("CREATE EXTERNAL TABLE IF NOT EXISTS `cdc`.`public_orders`")
                .contains("LOCATION '" + base + "/public.widgets/'")
                .contains("'projection.dt.range'='2026-11-23,NOW'")
                .contains("`note` string");
    }

    private static TableSchema schema(String table, boolean withNote) {
        List<Column> columns = new ArrayList<>(List.of(
                new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                new Column("price", ColumnType.decimal(10, 2, "numeric"), true)));
        if (withNote) {
            columns.add(new Column("note", ColumnType.of(ValueKind.STRING, "text"), true));
        }
        return new TableSchema(new TableId("public", table), columns, List.of("id"));
    }

    private static ChangeEvent event(TableSchema schema, Op op, Row before, Row after, long lsn, String commitTime) {
        Instant t = Instant.parse(commitTime);
        return ChangeEvent.builder()
                .schema(schema)
                .op(op)
                .before(before)
                .after(after)
                .commitLsn(lsn)
                .changeLsn(1)
                .txId(lsn)
                .commitTimeMicros(t.getEpochSecond() * 1_000_000L)
                .build();
    }

    private static void listFiles(Path base, Path dir, List<String> out) throws Exception {
        for (FileStatus f : dir.getFileSystem().listStatus(dir)) {
            if (f.isDir()) {
                listFiles(base, f.getPath(), out);
            } else {
                out.add(f.getPath()
                        .toUri()
                        .getPath()
                        .substring(base.toUri().getPath().length() + 1));
            }
        }
    }

    private static void copy(Path from, java.nio.file.Path to) throws Exception {
        Files.createDirectories(to.getParent());
        try (InputStream in = from.getFileSystem().open(from);
                OutputStream out = Files.newOutputStream(to)) {
            in.transferTo(out);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<? extends Serializer<?>> javaSerializer() {
        return (Class) JavaSerializer.class;
    }
}
