package io.tributary.postgres;

import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a table's current rows over plain JDBC into the event model with the capture's own rules, so a
 * verifier compares what the capture would have made of the same rows: column types from
 * {@link PostgresColumnTypes}; values through {@link PostgresTextValueConverter} (numeric, date, timestamp,
 * timestamptz, bit: the pgjdbc objects its snapshot path receives; time: PostgreSQL's text, as the stream gives
 * it, so 24:00:00 and microseconds survive) and {@link PostgresTypeMapper} (everything else).
 *
 * <p>Where the capture takes Debezium's own shape (interval as Debezium's ISO duration, timetz in UTC, money,
 * arrays declared with more than one dimension as text) this reads pgjdbc's value instead.
 */
public final class PostgresTableRows {
    private static final PostgresTypeMapper MAPPER = new PostgresTypeMapper();

    private PostgresTableRows() {}

    /** Streams every row of {@code table} to {@code rows}; returns the schema read from the result set. */
    public static TableSchema read(Connection connection, TableId table, List<String> keyColumns, Consumer<Row> rows)
            throws SQLException {
        String sql = "SELECT * FROM " + quote(table.schema()) + "." + quote(table.table());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false); // lets the driver stream with a fetch size
        try (Statement s = connection.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<Column> columns = new ArrayList<>(n);
                String[] textKinds = new String[n];
                for (int i = 1; i <= n; i++) {
                    String typeName = md.getColumnTypeName(i);
                    columns.add(new Column(
                            md.getColumnName(i),
                            PostgresColumnTypes.of(typeName, md.getPrecision(i), md.getScale(i)),
                            true));
                    textKinds[i - 1] = PostgresTextValueConverter.kindOf(typeName, md.getColumnType(i));
                }
                TableSchema schema = new TableSchema(table, columns, keyColumns);
                while (rs.next()) {
                    Object[] values = new Object[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = value(rs, i + 1, columns.get(i).type(), textKinds[i]);
                    }
                    rows.accept(Row.wrap(values));
                }
                return schema;
            }
        } finally {
            connection.commit();
            connection.setAutoCommit(autoCommit);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static Object value(ResultSet rs, int i, ColumnType type, String textKind) throws SQLException {
        if (type.kind() == ValueKind.ARRAY) {
            Array a = rs.getArray(i);
            return a == null ? null : list((Object[]) a.getArray(), type.element());
        }
        Object v = "time".equals(textKind) ? rs.getString(i) : rs.getObject(i);
        return v == null
                ? null
                : MAPPER.jdbcValue(type, textKind == null ? v : PostgresTextValueConverter.text(textKind, v));
    }

    /** An array's elements; a multi-dimensional value's inner arrays become lists of their own. */
    private static List<Object> list(Object[] values, ColumnType element) {
        String textKind = PostgresTextValueConverter.kindOf(element.sourceType(), Types.OTHER);
        List<Object> out = new ArrayList<>(values.length);
        for (Object v : values) {
            if (v instanceof Object[]) {
                out.add(list((Object[]) v, element));
            } else if (v == null) {
                out.add(null);
            } else {
                out.add(MAPPER.jdbcValue(element, textKind == null ? v : PostgresTextValueConverter.text(textKind, v)));
            }
        }
        return out;
    }
}
