package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresStandIn;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The CDC source on a MiniCluster against a real PostgreSQL: snapshot, then streamed changes, exact values. */
class PostgresSourceITCase {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSourceITCase.class);
    private static final String DB = "pgsource";
    private static final TableId ITEMS = new TableId("public", "items");
    private static final String BIG = "x".repeat(20_000);

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @BeforeAll
    static void createDatabase() {
        PG.get().createDatabase(DB);
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                        "CREATE TABLE items (id int PRIMARY KEY, i2 int2, i8 int8, f4 real, f8 float8, ok bool,"
                                + " price numeric(10,2), anynum numeric, name text, code varchar(20), ch char(3), u uuid,"
                                + " doc jsonb, d date, t time, ts timestamp, tz timestamptz, raw bytea, tags text[],"
                                + " nums int[], big text, m mood, ip inet, span interval, cash money)",
                        "ALTER TABLE items ALTER COLUMN big SET STORAGE EXTERNAL",
                        "CREATE TABLE other (id int PRIMARY KEY, v text)");
        for (int id = 1; id <= 4; id++) {
            PG.get()
                    .executeIn(
                            DB,
                            "INSERT INTO items VALUES (" + id + ", 2, 9000000000, 1.5, 2.25, true, 12345678.90,"
                                    + " 3.14159265358979323846, 'caf\u00e9', 'v" + id
                                    + "', 'ab', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',"
                                    + " '{\"a\": [1, 2]}', '2024-02-29', '13:14:15.123456', '2024-02-29 13:14:15.654321',"
                                    + " '2024-02-29 13:14:15.123456+02', '\\x00ff10', '{a,\"b c\",NULL}', '{1,2,3}', '"
                                    + BIG + "',"
                                    + " 'happy', '10.0.0.1/8', '1 day 02:03:04', 12.34)");
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void snapshotThenStreamCarriesExactValues() throws Exception {
        PostgresSourceSettings settings = PostgresSourceSettings.builder()
                .hostname(PG.get().host())
                .port(PG.get().port())
                .database(DB)
                .username(PostgresStandIn.USER)
                .password(PostgresStandIn.PASSWORD)
                .slotName("items_slot")
                .publicationName("items_pub")
                .tableInclude(List.of("public\\.items"))
                .splitSize(2)
                .heartbeatInterval(Duration.ofSeconds(1))
                .build();
        long walBeforeStart = currentWalLsn();
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        // The event model has no Flink serializer on this branch yet; Java serialization keeps the test honest.
        try (CloseableIterator<ChangeEvent> it = env.fromSource(
                        PostgresSources.create(settings), WatermarkStrategy.noWatermarks(), "postgres")
                .executeAndCollect("postgres-source-it")) {
            // Two chunks of two rows; the first chunk brings the table's snapshot baseline (a TRUNCATE) first.
            List<ChangeEvent> read = take(it, 5);
            List<ChangeEvent> baselines =
                    read.stream().filter(ChangeEvent::isTruncate).collect(Collectors.toList());
            List<ChangeEvent> snapshot =
                    read.stream().filter(e -> !e.isTruncate()).collect(Collectors.toList());
            assertThat(baselines).hasSize(1).allMatch(e -> e.snapshot() && e.changeLsn() == 0);
            assertThat(snapshot).hasSize(4).allMatch(e -> e.snapshot() && e.op() == Op.INSERT && e.changeLsn() == 0);
            // A snapshot row's position is the WAL position its chunk was read at: after the job started, above the
            // baseline, which lies just below the WAL position read when the source was built.
            assertThat(snapshot)
                    .allMatch(e -> Long.compareUnsigned(e.commitLsn(), walBeforeStart) >= 0
                            && Long.compareUnsigned(
                                            e.commitLsn(), baselines.get(0).commitLsn())
                                    > 0);
            assertThat(Long.compareUnsigned(baselines.get(0).commitLsn() + 1, walBeforeStart))
                    .isGreaterThanOrEqualTo(0);
            ChangeEvent first = snapshot.stream()
                    .filter(e -> e.key().equals(List.of(1)))
                    .findFirst()
                    .orElseThrow();
            assertSnapshotRow(first);

            PG.get()
                    .executeIn(
                            DB,
                            "INSERT INTO items (id, name, price, tz, t) VALUES (10, 'new', 0.50, '2000-01-01 00:00:00Z', '13:14:15.123456')",
                            "UPDATE items SET name = 'renamed', price = 99.99 WHERE id = 1",
                            "DELETE FROM items WHERE id = 2");
            List<ChangeEvent> streamed = take(it, 3);
            streamed.forEach(e -> LOG.info("STREAMED " + e));
            assertThat(streamed).extracting(ChangeEvent::op).containsExactly(Op.INSERT, Op.UPDATE, Op.DELETE);
            assertThat(streamed).noneMatch(ChangeEvent::snapshot);

            ChangeEvent insert = streamed.get(0);
            TableSchema s = insert.schema();
            assertThat(insert.after().get(s.indexOf("price"))).isEqualTo(new BigDecimal("0.50"));
            assertThat(insert.after().get(s.indexOf("tz"))).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
            assertThat(insert.after().get(s.indexOf("big"))).isNull();
            assertThat(insert.after().get(s.indexOf("t"))).isEqualTo(LocalTime.parse("13:14:15.123456"));

            ChangeEvent update = streamed.get(1);
            assertThat(update.key()).containsExactly(1);
            assertThat(update.after().get(s.indexOf("name"))).isEqualTo("renamed");
            assertThat(update.after().get(s.indexOf("price"))).isEqualTo(new BigDecimal("99.99"));
            assertThat(update.after().get(s.indexOf("big"))).isSameAs(Row.UNCHANGED_TOAST);
            assertThat(update.isAfter(first.commitLsn(), first.changeLsn())).isTrue();

            ChangeEvent delete = streamed.get(2);
            assertThat(delete.after()).isNull();
            assertThat(delete.key()).containsExactly(2);
            assertThat(delete.before().get(s.indexOf("name"))).isNull(); // REPLICA IDENTITY DEFAULT: key only

            PG.get().executeIn(DB, "ALTER TABLE items ADD COLUMN extra int", "UPDATE items SET extra = 5 WHERE id = 3");
            ChangeEvent altered = take(it, 1).get(0);
            assertThat(altered.schema().fingerprint()).isNotEqualTo(s.fingerprint());
            assertThat(altered.after().get(altered.schema().indexOf("extra"))).isEqualTo(5);
            assertThat(altered.after().get(altered.schema().indexOf("name"))).isEqualTo("caf\u00e9");

            for (int i = 1; i < streamed.size(); i++) {
                assertThat(streamed.get(i)
                                .isAfter(
                                        streamed.get(i - 1).commitLsn(),
                                        streamed.get(i - 1).changeLsn()))
                        .as("streamed positions grow")
                        .isTrue();
            }
        }
    }

    private static void assertSnapshotRow(ChangeEvent e) {
        TableSchema s = e.schema();
        assertThat(s.keyColumns()).containsExactly("id");
        Row r = e.after();
        assertThat(r.get(s.indexOf("i2"))).isEqualTo((short) 2);
        assertThat(r.get(s.indexOf("i8"))).isEqualTo(9_000_000_000L);
        assertThat(r.get(s.indexOf("f4"))).isEqualTo(1.5f);
        assertThat(r.get(s.indexOf("f8"))).isEqualTo(2.25d);
        assertThat(r.get(s.indexOf("ok"))).isEqualTo(true);
        assertThat(s.column(s.indexOf("price")).type().kind()).isEqualTo(ValueKind.DECIMAL);
        assertThat(s.column(s.indexOf("price")).type().precision()).isEqualTo(10);
        assertThat(s.column(s.indexOf("price")).type().scale()).isEqualTo(2);
        assertThat(r.get(s.indexOf("price"))).isEqualTo(new BigDecimal("12345678.90"));
        assertThat(s.column(s.indexOf("anynum")).type().kind()).isEqualTo(ValueKind.STRING);
        assertThat(r.get(s.indexOf("anynum"))).isEqualTo("3.14159265358979323846");
        assertThat(r.get(s.indexOf("name"))).isEqualTo("caf\u00e9");
        assertThat(r.get(s.indexOf("code"))).isEqualTo("v1");
        assertThat(r.get(s.indexOf("ch"))).isEqualTo("ab ");
        assertThat(r.get(s.indexOf("u"))).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(s.column(s.indexOf("doc")).type().kind()).isEqualTo(ValueKind.JSON);
        assertThat(r.get(s.indexOf("doc"))).isEqualTo("{\"a\": [1, 2]}");
        assertThat(r.get(s.indexOf("d"))).isEqualTo(LocalDate.of(2024, 2, 29));
        // Flink CDC 3.5 reads snapshot chunks with ResultSet.getObject, which gives java.sql.Time: millis only.
        assertThat(r.get(s.indexOf("t"))).isEqualTo(LocalTime.parse("13:14:15.123"));
        assertThat(r.get(s.indexOf("ts"))).isEqualTo(LocalDateTime.parse("2024-02-29T13:14:15.654321"));
        assertThat(r.get(s.indexOf("tz"))).isEqualTo(Instant.parse("2024-02-29T11:14:15.123456Z"));
        assertThat((byte[]) r.get(s.indexOf("raw"))).containsExactly(0x00, 0xff, 0x10);
        assertThat(r.get(s.indexOf("tags"))).isEqualTo(Arrays.asList("a", "b c", null));
        assertThat(r.get(s.indexOf("nums"))).isEqualTo(List.of(1, 2, 3));
        assertThat(r.get(s.indexOf("big"))).isEqualTo(BIG);
        assertThat(r.get(s.indexOf("m"))).isEqualTo("happy");
        assertThat(r.get(s.indexOf("ip"))).isEqualTo("10.0.0.1/8");
        assertThat(s.column(s.indexOf("span")).type().kind()).isEqualTo(ValueKind.STRING);
        assertThat(r.get(s.indexOf("span"))).isNotNull();
        assertThat(r.get(s.indexOf("cash"))).isNotNull();
        LOG.info("SNAPSHOT " + e + " span=" + r.get(s.indexOf("span")) + " cash=" + r.get(s.indexOf("cash")) + " types="
                + s.columns());
    }

    private static long currentWalLsn() throws Exception {
        try (Connection c = PG.get().connect(DB);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text")) {
            rs.next();
            return Long.parseUnsignedLong(rs.getString(1));
        }
    }

    private static List<ChangeEvent> take(CloseableIterator<ChangeEvent> it, int n) {
        List<ChangeEvent> out = new ArrayList<>();
        while (out.size() < n && it.hasNext()) {
            out.add(it.next());
        }
        assertThat(out).hasSize(n);
        return out;
    }
}
