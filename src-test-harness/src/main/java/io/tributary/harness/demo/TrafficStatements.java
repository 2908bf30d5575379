package io.tributary.harness.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The prepared INSERT, UPDATE and DELETE statements of one demo table. Values are text bound
 * with an unspecified type and cast in SQL ({@code ?::jsonb}), so PostgreSQL parses them exactly
 * as COPY does; binding them as varchar would turn {@code \x..} into bytes of the string itself.
 */
final class TrafficStatements implements AutoCloseable {
    /**
     * Column sets one UPDATE changes. Two of the three products updates leave the TOASTed
     * description alone, so the WAL carries it as "unchanged TOAST".
     */
    private static final Map<DemoTable, List<List<String>>> UPDATE_SETS = Map.of(
            DemoTable.CUSTOMERS,
                    List.of(List.of("loyalty_points", "is_active"), List.of("email", "profile"), List.of("tags")),
            DemoTable.PRODUCTS,
                    List.of(
                            List.of("price", "stock", "updated_at"),
                            List.of("attributes", "weight_kg"),
                            List.of("description", "updated_at")),
            DemoTable.ORDERS,
                    List.of(
                            List.of("status", "ship_by"),
                            List.of("total", "exchange_rate", "metadata"),
                            List.of("priority", "is_gift", "line_counts")),
            DemoTable.ORDER_LINES, List.of(List.of("quantity", "unit_price"), List.of("discount", "tax_rate", "note")));

    private final DemoTable table;
    private final PreparedStatement insert;
    private final PreparedStatement delete;
    private final List<PreparedStatement> updates = new ArrayList<>();
    private final List<List<DemoTable.Column>> updateColumns = new ArrayList<>();
    private final int oddValuePercent;

    TrafficStatements(Connection conn, DemoTable table, int oddValuePercent) throws SQLException {
        this.table = table;
        this.oddValuePercent = oddValuePercent;
        String name = "public." + table.tableName();
        String where = table.keyColumns().stream()
                .map(k -> k + " = ?::" + column(k).type())
                .collect(Collectors.joining(" AND "));
        this.insert = conn.prepareStatement("INSERT INTO " + name + " ("
                + table.columns().stream().map(DemoTable.Column::name).collect(Collectors.joining(", "))
                + ") VALUES ("
                + table.columns().stream().map(c -> "?::" + c.type()).collect(Collectors.joining(", ")) + ")");
        this.delete = conn.prepareStatement("DELETE FROM " + name + " WHERE " + where);
        for (List<String> set : UPDATE_SETS.get(table)) {
            List<DemoTable.Column> cols = set.stream().map(this::column).collect(Collectors.toList());
            updateColumns.add(cols);
            updates.add(conn.prepareStatement("UPDATE " + name + " SET "
                    + cols.stream().map(c -> c.name() + " = ?::" + c.type()).collect(Collectors.joining(", "))
                    + " WHERE " + where));
        }
    }

    void insert(long key, SplittableRandom r) throws SQLException {
        String[] row = table.newRow(key, r);
        for (int i = 0; i < row.length; i++) {
            DemoTable.Column c = table.columns().get(i);
            bind(insert, i + 1, c.gen() == null ? row[i] : maybeOdd(c, row[i], r));
        }
        expectOneRow(insert, "insert", key);
    }

    void update(long key, SplittableRandom r) throws SQLException {
        int which = r.nextInt(updates.size());
        PreparedStatement ps = updates.get(which);
        int i = 1;
        for (DemoTable.Column c : updateColumns.get(which)) {
            bind(ps, i++, maybeOdd(c, c.gen().apply(r), r));
        }
        bindKey(ps, i, key);
        expectOneRow(ps, "update", key);
    }

    /** The value, or with probability oddValuePercent an odd value of the column's type if it has one. */
    private String maybeOdd(DemoTable.Column c, String value, SplittableRandom r) {
        if (oddValuePercent == 0 || r.nextInt(100) >= oddValuePercent) {
            return value;
        }
        String odd = DemoValues.odd(c.type(), r);
        return odd == null ? value : odd;
    }

    void delete(long key) throws SQLException {
        bindKey(delete, 1, key);
        expectOneRow(delete, "delete", key);
    }

    private void bindKey(PreparedStatement ps, int from, long key) throws SQLException {
        for (String v : table.keyValues(key)) {
            bind(ps, from++, v);
        }
    }

    private static void bind(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setObject(index, value, Types.OTHER);
        }
    }

    /** The counters promise one change per statement; anything else is a generator bug. */
    private void expectOneRow(PreparedStatement ps, String what, long key) throws SQLException {
        int n = ps.executeUpdate();
        if (n != 1) {
            throw new IllegalStateException(what + " of " + table.tableName() + " key "
                    + String.join("/", table.keyValues(key)) + " touched " + n + " rows, expected 1");
        }
    }

    private DemoTable.Column column(String name) {
        return table.columns().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(table.tableName() + " has no column " + name));
    }

    @Override
    public void close() throws SQLException {
        insert.close();
        delete.close();
        for (PreparedStatement ps : updates) {
            ps.close();
        }
    }
}
