package io.tributary.harness.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo "legacy shop" database: creates the {@link DemoTable}s, seeds them with deterministic
 * data, and reads back what a downstream copy must equal (row counts, current rows as text).
 */
public final class DemoSchema {
    /** The seed {@link #seed(Connection, long)} uses; traffic uses its own. */
    public static final long DEFAULT_SEED = 20_261_123L;

    private DemoSchema() {}

    /** Creates all demo tables in {@code public}. Fails if they exist: use a fresh database. */
    public static void create(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            for (DemoTable t : DemoTable.values()) {
                for (String sql : t.ddl()) {
                    s.execute(sql);
                }
            }
        }
        commitIfNeeded(conn);
    }

    /**
     * Fills the tables with {@code rows} rows in total, split 20% customers, 1% products (each
     * with a TOASTed description of ~10 kB), 30% orders and the rest order lines (spread over
     * the orders, line numbers from 1). Keys are dense from 1. Same {@code rows}, same data.
     *
     * @return rows loaded per table
     */
    public static Map<DemoTable, Long> seed(Connection conn, long rows) throws SQLException {
        return seed(conn, rows, DEFAULT_SEED);
    }

    public static Map<DemoTable, Long> seed(Connection conn, long rows, long seed) throws SQLException {
        Map<DemoTable, Long> plan = seedPlan(rows);
        Map<DemoTable, Long> loaded = new EnumMap<>(DemoTable.class);
        long orders = plan.get(DemoTable.ORDERS);
        for (DemoTable t : DemoTable.values()) {
            long n = plan.get(t);
            DemoSeeder.KeyOfIndex keyOf = t == DemoTable.ORDER_LINES
                    ? i -> DemoTable.packKey(i % orders + 1, (int) (i / orders + 1))
                    : i -> i + 1;
            loaded.put(t, n == 0 ? 0 : DemoSeeder.copy(conn, t, n, seed, keyOf));
        }
        analyze(conn);
        return loaded;
    }

    /** How {@link #seed} splits {@code rows} over the tables; sums to {@code rows}. */
    public static Map<DemoTable, Long> seedPlan(long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, was " + rows);
        }
        long products = rows / 100;
        long orders = rows * 3 / 10;
        long lines = orders == 0 ? 0 : rows - rows / 5 - products - orders;
        Map<DemoTable, Long> plan = new EnumMap<>(DemoTable.class);
        plan.put(DemoTable.PRODUCTS, products);
        plan.put(DemoTable.ORDERS, orders);
        plan.put(DemoTable.ORDER_LINES, lines);
        plan.put(DemoTable.CUSTOMERS, rows - products - orders - lines);
        return plan;
    }

    /** Loads {@code rows} rows with keys 1..rows into one empty table (benchmarks). */
    public static long seedTable(Connection conn, DemoTable table, long rows, long seed) throws SQLException {
        DemoSeeder.KeyOfIndex keyOf = table.compositeKey() ? i -> DemoTable.packKey(i + 1, 1) : i -> i + 1;
        long n = DemoSeeder.copy(conn, table, rows, seed, keyOf);
        analyze(conn);
        return n;
    }

    public static long rowCount(Connection conn, DemoTable table) throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM public." + table.tableName())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static Map<DemoTable, Long> rowCounts(Connection conn) throws SQLException {
        Map<DemoTable, Long> out = new EnumMap<>(DemoTable.class);
        for (DemoTable t : DemoTable.values()) {
            out.put(t, rowCount(conn, t));
        }
        return out;
    }

    /** The table's primary keys, packed (see {@link DemoTable#packKey}), ascending. */
    public static long[] keys(Connection conn, DemoTable table) throws SQLException {
        long[] out = new long[16];
        int n = 0;
        try (Statement s = conn.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery(
                    "SELECT " + table.packedKeySql() + " AS k FROM public." + table.tableName() + " ORDER BY k")) {
                while (rs.next()) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = rs.getLong(1);
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The table's current rows, ordered by key: key = the key columns' values, row = every column
     * (key columns too) in declaration order, each in PostgreSQL's text output form, SQL NULL as
     * {@code null}, timestamptz rendered in UTC whatever the session's zone. This is what the
     * latest state per key in the event log must equal.
     */
    public static Map<List<String>, Map<String, String>> currentRows(Connection conn, DemoTable table)
            throws SQLException {
        List<DemoTable.Column> cols = table.columns();
        String select = cols.stream().map(c -> c.name() + "::text").collect(Collectors.joining(", "));
        String sql = "SELECT " + select + " FROM public." + table.tableName() + " ORDER BY "
                + String.join(", ", table.keyColumns());
        Map<List<String>, Map<String, String>> out = new LinkedHashMap<>();
        try (Statement s = conn.createStatement()) {
            String zone;
            try (ResultSet rs = s.executeQuery("SHOW TimeZone")) {
                rs.next();
                zone = rs.getString(1);
            }
            s.execute("SET TIME ZONE 'UTC'");
            s.setFetchSize(1_000);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < cols.size(); i++) {
                        row.put(cols.get(i).name(), rs.getString(i + 1));
                    }
                    List<String> key = new ArrayList<>();
                    for (String k : table.keyColumns()) {
                        key.add(row.get(k));
                    }
                    out.put(Collections.unmodifiableList(key), Collections.unmodifiableMap(row));
                }
            } finally {
                s.execute("SET TIME ZONE '" + zone.replace("'", "''") + "'");
            }
        }
        commitIfNeeded(conn);
        return out;
    }

    /** {@link #currentRows(Connection, DemoTable)} of every demo table. */
    public static Map<DemoTable, Map<List<String>, Map<String, String>>> currentRows(Connection conn)
            throws SQLException {
        Map<DemoTable, Map<List<String>, Map<String, String>>> out = new EnumMap<>(DemoTable.class);
        for (DemoTable t : DemoTable.values()) {
            out.put(t, currentRows(conn, t));
        }
        return out;
    }

    private static void analyze(Connection conn) throws SQLException {
        commitIfNeeded(conn);
        try (Statement s = conn.createStatement()) {
            for (DemoTable t : DemoTable.values()) {
                s.execute("ANALYZE public." + t.tableName());
            }
        }
        commitIfNeeded(conn);
    }

    private static void commitIfNeeded(Connection conn) throws SQLException {
        if (!conn.getAutoCommit()) {
            conn.commit();
        }
    }
}
