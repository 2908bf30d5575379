package io.tributary.harness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresStandIn;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

class DemoSchemaITCase {
    private static final long ROWS = 3_000;

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    private static Map<DemoTable, Long> seeded;

    @BeforeAll
    static void seedOnce() throws SQLException {
        PG.get().createDatabase("demo_schema");
        try (Connection c = PG.get().connect("demo_schema")) {
            DemoSchema.create(c);
            seeded = DemoSchema.seed(c, ROWS);
        }
    }

    @Test
    void seedLoadsThePlannedRowsIntoEveryTable() throws SQLException {
        Map<DemoTable, Long> plan = DemoSchema.seedPlan(ROWS);
        assertThat(plan.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ROWS);
        assertThat(plan.values()).allMatch(n -> n > 0);
        assertThat(seeded).isEqualTo(plan);
        try (Connection c = PG.get().connect("demo_schema")) {
            assertThat(DemoSchema.rowCounts(c)).isEqualTo(plan);
        }
    }

    @Test
    void tablesUseReplicaIdentityDefaultAndOrderLinesHaveACompositeKey() throws SQLException {
        try (Connection c = PG.get().connect("demo_schema")) {
            for (DemoTable t : DemoTable.values()) {
                assertThat(single(
                                c,
                                "SELECT relreplident::text FROM pg_class WHERE oid = 'public." + t.tableName()
                                        + "'::regclass"))
                        .as(t.tableName())
                        .isEqualTo("d");
            }
            assertThat(single(
                            c,
                            "SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i"
                                    + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                                    + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                                    + " WHERE i.indrelid = 'public.order_lines'::regclass AND i.indisprimary"))
                    .isEqualTo("order_id,line_no");
        }
    }

    @Test
    void productDescriptionsLiveOutOfLineInTheToastTable() throws SQLException {
        try (Connection c = PG.get().connect("demo_schema")) {
            assertThat(single(
                            c,
                            "SELECT attstorage::text FROM pg_attribute WHERE attrelid = "
                                    + "'public.products'::regclass AND attname = 'description'"))
                    .isEqualTo("e");
            // Uncompressed and over 8 kB for every product: stored as TOAST chunks, not inline.
            assertThat(Long.parseLong(single(c, "SELECT min(pg_column_size(description)) FROM products")))
                    .isGreaterThan(8_192);
            assertThat(Long.parseLong(single(
                            c,
                            "SELECT pg_relation_size(reltoastrelid) FROM pg_class"
                                    + " WHERE oid = 'public.products'::regclass")))
                    .isGreaterThan(seeded.get(DemoTable.PRODUCTS) * 8_000);
        }
    }

    @Test
    void seedCoversNullsAndTheAwkwardTypes() throws SQLException {
        try (Connection c = PG.get().connect("demo_schema")) {
            assertThat(single(c, "SELECT count(*) FROM orders WHERE exchange_rate IS NULL"))
                    .isNotEqualTo("0");
            assertThat(single(c, "SELECT count(*) FROM orders WHERE scale(exchange_rate) > 2"))
                    .isNotEqualTo("0");
            assertThat(single(c, "SELECT count(*) FROM orders WHERE exchange_rate < 0"))
                    .isNotEqualTo("0");
            assertThat(single(c, "SELECT count(*) FROM customers WHERE cardinality(tags) > 1"))
                    .isNotEqualTo("0");
            assertThat(single(c, "SELECT count(*) FROM customers WHERE profile->>'note' LIKE '%\"hi\"%'"))
                    .isNotEqualTo("0");
            assertThat(single(c, "SELECT count(*) FROM products WHERE octet_length(thumbnail) >= 8"))
                    .isNotEqualTo("0");
        }
    }

    @Test
    void sameSeedGivesTheSameRows() throws SQLException {
        PG.get().createDatabase("demo_schema_again");
        try (Connection again = PG.get().connect("demo_schema_again");
                Connection first = PG.get().connect("demo_schema")) {
            DemoSchema.create(again);
            DemoSchema.seed(again, ROWS);
            for (DemoTable t : List.of(DemoTable.PRODUCTS, DemoTable.ORDER_LINES)) {
                assertThat(DemoSchema.currentRows(again, t)).isEqualTo(DemoSchema.currentRows(first, t));
            }
        }
    }

    @Test
    void currentRowsRenderTimestampsInUtcAndLeaveTheSessionZoneAlone() throws SQLException {
        try (Connection c = PG.get().connect("demo_schema");
                Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'Asia/Kolkata'");
            Map<String, String> first =
                    DemoSchema.currentRows(c, DemoTable.CUSTOMERS).get(List.of("1"));
            assertThat(first.get("created_at")).endsWith("+00");
            assertThat(first.get("id")).isEqualTo("1");
            assertThat(single(c, "SHOW TimeZone")).isEqualTo("Asia/Kolkata");
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
