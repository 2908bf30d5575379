package io.tributary.dynamodb;

import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Row;
import io.tributary.event.SpecialValue;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads a table's current rows over plain JDBC into the event model's types, so the verifier can
 * map them with the same {@link DynamoDbItemMapper} the sink uses and compare attribute values.
 */
final class PostgresTableReader {
    private PostgresTableReader() {}

    /** Streams every row of {@code table} to {@code rows}; returns the schema read from the result set. */
    static TableSchema read(Connection connection, TableId table, List<String> keyColumns, Consumer<Row> rows)
            throws SQLException {
        String sql = "SELECT * FROM " + quote(table.schema()) + "." + quote(table.table());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false); // lets the driver stream with a fetch size
        try (Statement s = connection.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                List<Column> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(new Column(md.getColumnName(i), type(md.getColumnTypeName(i), md.getPrecision(i),
                            md.getScale(i)), true));
                }
                TableSchema schema = new TableSchema(table, columns, keyColumns);
                while (rs.next()) {
                    Object[] values = new Object[columns.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = value(rs, i + 1, columns.get(i).type());
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

    static ColumnType type(String pgType, int precision, int scale) {
        String t = pgType.toLowerCase(Locale.ROOT);
        if (t.startsWith("_")) {
            return ColumnType.arrayOf(type(t.substring(1), 0, 0), t);
        }
        switch (t) {
            case "bool":
                return ColumnType.of(ValueKind.BOOLEAN, t);
            case "int2":
                return ColumnType.of(ValueKind.INT16, t);
            case "int4":
            case "serial":
                return ColumnType.of(ValueKind.INT32, t);
            case "int8":
            case "bigserial":
                return ColumnType.of(ValueKind.INT64, t);
            case "float4":
                return ColumnType.of(ValueKind.FLOAT32, t);
            case "float8":
                return ColumnType.of(ValueKind.FLOAT64, t);
            case "numeric":
                // the driver reports precision 0 (or 1000) for an unconstrained numeric: the event model carries it as text
                return precision > 0 && precision < 1000 && scale >= 0 && scale <= precision
                        ? ColumnType.decimal(precision, scale, t) : ColumnType.of(ValueKind.STRING, t);
            case "uuid":
                return ColumnType.of(ValueKind.UUID, t);
            case "json":
            case "jsonb":
                return ColumnType.of(ValueKind.JSON, t);
            case "date":
                return ColumnType.of(ValueKind.DATE, t);
            case "time":
                return ColumnType.of(ValueKind.TIME, t);
            case "timestamp":
                return ColumnType.of(ValueKind.TIMESTAMP, t);
            case "timestamptz":
                return ColumnType.of(ValueKind.TIMESTAMPTZ, t);
            case "bytea":
                return ColumnType.of(ValueKind.BYTES, t);
            default:
                return ColumnType.of(ValueKind.STRING, t);
        }
    }

    private static Object value(ResultSet rs, int i, ColumnType type) throws SQLException {
        if (type.kind() == ValueKind.ARRAY) {
            Array a = rs.getArray(i);
            return a == null ? null : list((Object[]) a.getArray(), type.element());
        }
        if (SPECIAL_KINDS.contains(type.kind())) {
            // NaN, ±infinity and 24:00:00 have no Java value of the kind's class: the event model holds a SpecialValue
            String text = rs.getString(i);
            SpecialValue special = text == null ? null : SpecialValue.fromPostgresText(text, type.kind());
            if (special != null) {
                return special;
            }
        }
        Object v = rs.getObject(i);
        return v == null ? null : convert(rs, i, v, type);
    }

    private static final java.util.Set<ValueKind> SPECIAL_KINDS = java.util.EnumSet.of(ValueKind.DECIMAL,
            ValueKind.DATE, ValueKind.TIME, ValueKind.TIMESTAMP, ValueKind.TIMESTAMPTZ);

    private static Object convert(ResultSet rs, int i, Object v, ColumnType type) throws SQLException {
        switch (type.kind()) {
            case DATE:
                return rs.getObject(i, LocalDate.class);
            case TIME:
                return rs.getObject(i, LocalTime.class);
            case TIMESTAMP:
                return rs.getObject(i, LocalDateTime.class);
            case TIMESTAMPTZ:
                return rs.getObject(i, OffsetDateTime.class).toInstant();
            default:
                return element(v, type);
        }
    }

    private static List<Object> list(Object[] values, ColumnType element) {
        List<Object> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(v instanceof Object[] ? list((Object[]) v, element) : v == null ? null : element(v, element));
        }
        return out;
    }

    private static Object element(Object v, ColumnType type) {
        switch (type.kind()) {
            case BOOLEAN:
                return v;
            case INT16:
                return ((Number) v).shortValue();
            case INT32:
                return ((Number) v).intValue();
            case INT64:
                return ((Number) v).longValue();
            case FLOAT32:
                return ((Number) v).floatValue();
            case FLOAT64:
                return ((Number) v).doubleValue();
            case DECIMAL:
                return ((BigDecimal) v).setScale(type.scale());
            case BYTES:
                return v instanceof byte[] ? v : v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case DATE:
                return v instanceof java.sql.Date ? ((java.sql.Date) v).toLocalDate() : LocalDate.parse(v.toString());
            case TIMESTAMPTZ:
                return v instanceof java.sql.Timestamp ? ((java.sql.Timestamp) v).toInstant() : v;
            default:
                if (v instanceof BigDecimal) {
                    return ((BigDecimal) v).toPlainString();
                }
                return v instanceof byte[] ? Arrays.toString((byte[]) v) : v.toString();
        }
    }
}
