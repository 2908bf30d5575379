package io.tributary.postgres;

import io.tributary.event.ColumnType;
import io.tributary.event.Row;
import io.tributary.event.SpecialValue;
import io.tributary.event.ValueKind;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps Debezium's Connect schemas and values for PostgreSQL columns to {@link ColumnType} and to the
 * Java classes {@link ValueKind} names.
 *
 * <p>It relies on the Debezium options {@link PostgresSources} sets: {@code column.propagate.source.type}
 * (gives the PostgreSQL type name, length and scale as schema parameters), {@code decimal.handling.mode=string}
 * (exact text for every numeric, constrained or not, NaN included; the default "precise" turns unconstrained
 * numeric into a struct and NaN into null), {@code time.precision.mode=adaptive_time_microseconds} (time as
 * micros; timestamp(0..3) as millis and timestamp(4..6) as micros, both exact),
 * {@code interval.handling.mode=string}, {@code include.unknown.datatypes=true} (unknown types arrive as
 * the bytes of their text form instead of being dropped), and {@link PostgresTextValueConverter} registered
 * as a Debezium converter: numeric, date, timestamp, timestamptz and time arrive as text, parsed here into
 * the kind's class or a {@link SpecialValue} (NaN, ±Infinity in numeric(p,s), ±infinity, 24:00:00).
 *
 * <p>Anything without a dedicated kind becomes {@link ValueKind#STRING} holding PostgreSQL's text form.
 * Debezium puts a placeholder where PostgreSQL did not send an unchanged TOASTed value (a string, the
 * same bytes for bytea, or a one-element list holding it for arrays); each becomes {@link Row#UNCHANGED_TOAST}.
 * A real value equal to the placeholder text would be taken for it, so the placeholder should be unlikely.
 */
public final class PostgresTypeMapper {
    public static final String TYPE_PARAM = "__debezium.source.column.type";
    public static final String LENGTH_PARAM = "__debezium.source.column.length";
    public static final String SCALE_PARAM = "__debezium.source.column.scale";
    /** Debezium's default for {@code unavailable.value.placeholder}. */
    public static final String DEFAULT_TOAST_PLACEHOLDER = "__debezium_unavailable_value";

    private final String toastText;
    private final byte[] toastBytes;

    public PostgresTypeMapper() {
        this(DEFAULT_TOAST_PLACEHOLDER);
    }

    public PostgresTypeMapper(String toastPlaceholder) {
        this.toastText = toastPlaceholder;
        this.toastBytes = toastPlaceholder.getBytes(StandardCharsets.UTF_8);
    }

    /** The column type of a Connect field schema, using the propagated source type where present. */
    public ColumnType columnType(Schema schema) {
        Map<String, String> params = schema.parameters();
        String sourceType = params == null ? null : params.get(TYPE_PARAM);
        sourceType = sourceType == null ? fallbackSourceType(schema) : sourceType.toLowerCase(Locale.ROOT);
        int length = intParam(params, LENGTH_PARAM, -1);
        int scale = intParam(params, SCALE_PARAM, 0);
        return columnType(schema, sourceType, length, scale);
    }

    private ColumnType columnType(Schema schema, String sourceType, int length, int scale) {
        String textKind = textKind(schema);
        if (textKind != null) {
            switch (textKind) {
                case "numeric":
                    return decimalOrString(sourceType, length, scale);
                case "date":
                    return ColumnType.of(ValueKind.DATE, sourceType);
                case "timestamp":
                    return ColumnType.of(ValueKind.TIMESTAMP, sourceType);
                case "timestamptz":
                    return ColumnType.of(ValueKind.TIMESTAMPTZ, sourceType);
                case "time":
                    return ColumnType.of(ValueKind.TIME, sourceType);
                default:
                    return ColumnType.of(ValueKind.STRING, sourceType);
            }
        }
        if (schema.type() == Schema.Type.ARRAY) {
            String elementType = sourceType.startsWith("_") ? sourceType.substring(1) : sourceType + "_element";
            return ColumnType.arrayOf(columnType(schema.valueSchema(), elementType, -1, 0), sourceType);
        }
        String name = schema.name() == null ? "" : schema.name();
        switch (name) {
            case "io.debezium.time.Date":
            case "org.apache.kafka.connect.data.Date":
                return ColumnType.of(ValueKind.DATE, sourceType);
            case "io.debezium.time.Time":
            case "io.debezium.time.MicroTime":
            case "io.debezium.time.NanoTime":
            case "org.apache.kafka.connect.data.Time":
                return ColumnType.of(ValueKind.TIME, sourceType);
            case "io.debezium.time.Timestamp":
            case "io.debezium.time.MicroTimestamp":
            case "io.debezium.time.NanoTimestamp":
            case "org.apache.kafka.connect.data.Timestamp":
                return ColumnType.of(ValueKind.TIMESTAMP, sourceType);
            case "io.debezium.time.ZonedTimestamp":
                return ColumnType.of(ValueKind.TIMESTAMPTZ, sourceType);
            case "io.debezium.data.Uuid":
                return ColumnType.of(ValueKind.UUID, sourceType);
            case "io.debezium.data.Json":
                return ColumnType.of(ValueKind.JSON, sourceType);
            case "org.apache.kafka.connect.data.Decimal":
                return decimalOrString(sourceType, length, intParam(schema.parameters(), "scale", scale));
            case "":
                break;
            default:
                // Enum, Xml, Ltree, ZonedTime, Interval, Bits, geometry, VariableScaleDecimal, …: text form.
                return ColumnType.of(ValueKind.STRING, sourceType);
        }
        switch (schema.type()) {
            case BOOLEAN:
                return ColumnType.of(ValueKind.BOOLEAN, sourceType);
            case INT8:
            case INT16:
                return ColumnType.of(ValueKind.INT16, sourceType);
            case INT32:
                return ColumnType.of(ValueKind.INT32, sourceType);
            case INT64:
                return ColumnType.of(ValueKind.INT64, sourceType);
            case FLOAT32:
                return ColumnType.of(ValueKind.FLOAT32, sourceType);
            case FLOAT64:
                return ColumnType.of(ValueKind.FLOAT64, sourceType);
            case STRING:
                return "numeric".equals(sourceType) || "decimal".equals(sourceType)
                        ? decimalOrString(sourceType, length, scale)
                        : ColumnType.of(ValueKind.STRING, sourceType);
            case BYTES:
                // Unknown types (include.unknown.datatypes) also arrive as bytes: of their text form.
                return "bytea".equals(sourceType) || "bytes".equals(sourceType)
                        ? ColumnType.of(ValueKind.BYTES, sourceType)
                        : ColumnType.of(ValueKind.STRING, sourceType);
            default:
                return ColumnType.of(ValueKind.STRING, sourceType);
        }
    }

    /** Debezium reports a length above 1000 for unconstrained numeric: {@link PostgresColumnTypes} makes it text. */
    private static ColumnType decimalOrString(String sourceType, int precision, int scale) {
        return PostgresColumnTypes.decimalOrString(sourceType, precision, scale);
    }

    /**
     * Converts a Connect value of a field with Connect schema {@code schema}, mapped to {@code type} by
     * {@link #columnType(Schema)}; the schema is needed because Debezium's time units depend on its name.
     */
    public Object value(Schema schema, ColumnType type, Object value) {
        if (value != null && isToastPlaceholder(type, value)) {
            return Row.UNCHANGED_TOAST;
        }
        return convert(schema, type, value);
    }

    /**
     * Converts a value read over plain JDBC ({@link PostgresTableRows}) that is already in the shape the capture
     * hands this class: text from {@link PostgresTextValueConverter} for its kinds, numbers, booleans, strings,
     * bytes and lists. No Connect schema: such values never need one.
     */
    Object jdbcValue(ColumnType type, Object value) {
        return convert(null, type, value);
    }

    /** Converts without the TOAST check: array elements are never placeholders on their own. */
    private Object convert(Schema schema, ColumnType type, Object value) {
        if (value == null) {
            return null;
        }
        switch (type.kind()) {
            case BOOLEAN:
                return value instanceof Boolean ? value : Boolean.valueOf(text(value));
            case INT16:
                return ((Number) value).shortValue();
            case INT32:
                return ((Number) value).intValue();
            case INT64:
                return ((Number) value).longValue();
            case FLOAT32:
                return ((Number) value).floatValue();
            case FLOAT64:
                return ((Number) value).doubleValue();
            case DECIMAL:
                return decimal(value, type.scale());
            case UUID:
                return text(value).toLowerCase(Locale.ROOT);
            case JSON:
            case STRING:
                return text(value);
            case DATE:
                if (value instanceof String) {
                    return PostgresTextValues.date((String) value);
                }
                return value instanceof Date
                        ? LocalDate.ofEpochDay(Math.floorDiv(((Date) value).getTime(), 86_400_000L))
                        : LocalDate.ofEpochDay(((Number) value).longValue());
            case TIME:
                return time(schema == null ? null : schema.name(), value);
            case TIMESTAMP:
                return timestamp(schema == null ? null : schema.name(), value);
            case TIMESTAMPTZ:
                return PostgresTextValues.timestamptz(text(value));
            case BYTES:
                return bytes(value);
            case ARRAY:
                List<?> list = (List<?>) value;
                List<Object> out = new ArrayList<>(list.size());
                for (Object element : list) {
                    out.add(convert(schema == null ? null : schema.valueSchema(), type.element(), element));
                }
                return out;
            default:
                return text(value);
        }
    }

    private boolean isToastPlaceholder(ColumnType type, Object value) {
        if (value instanceof String) {
            return toastText.equals(value);
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return Arrays.equals(toastBytes, bytes(value));
        }
        if (type.kind() == ValueKind.ARRAY && value instanceof List) {
            List<?> list = (List<?>) value;
            return list.size() == 1 && list.get(0) != null && isToastPlaceholder(type.element(), list.get(0));
        }
        return false;
    }

    private static Object decimal(Object value, int scale) {
        return value instanceof BigDecimal
                ? PostgresTextValues.withScale((BigDecimal) value, scale)
                : PostgresTextValues.decimal(text(value), scale);
    }

    private static Object time(String schemaName, Object value) {
        if (value instanceof String) {
            return PostgresTextValues.time((String) value);
        }
        long nanos;
        if (value instanceof Date) {
            nanos = ((Date) value).getTime() * 1_000_000L;
        } else if ("io.debezium.time.NanoTime".equals(schemaName)) {
            nanos = ((Number) value).longValue();
        } else if ("io.debezium.time.MicroTime".equals(schemaName)) {
            nanos = ((Number) value).longValue() * 1_000L;
        } else {
            nanos = ((Number) value).longValue() * 1_000_000L; // io.debezium.time.Time: millis
        }
        // PostgreSQL allows 24:00:00, which LocalTime cannot hold (Debezium's stream gives 86,400,000,000 micros)
        return nanos >= 86_400_000_000_000L ? SpecialValue.END_OF_DAY : LocalTime.ofNanoOfDay(nanos);
    }

    private static Object timestamp(String schemaName, Object value) {
        if (value instanceof String) {
            return PostgresTextValues.timestamp((String) value);
        }
        if (value instanceof Date) {
            return LocalDateTime.ofInstant(((Date) value).toInstant(), ZoneOffset.UTC);
        }
        long n = ((Number) value).longValue();
        if ("io.debezium.time.MicroTimestamp".equals(schemaName)) {
            return microsToLocal(n);
        }
        if ("io.debezium.time.NanoTimestamp".equals(schemaName)) {
            return LocalDateTime.ofEpochSecond(
                    Math.floorDiv(n, 1_000_000_000L), (int) Math.floorMod(n, 1_000_000_000L), ZoneOffset.UTC);
        }
        // io.debezium.time.Timestamp: millis (timestamp(0..3) under adaptive_time_microseconds)
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(n, 1_000L), (int) Math.floorMod(n, 1_000L) * 1_000_000, ZoneOffset.UTC);
    }

    static LocalDateTime microsToLocal(long micros) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) value).duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
        return (byte[]) value;
    }

    /** PostgreSQL's text form of a value Debezium gave in another shape. */
    static String text(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return new String(bytes(value), StandardCharsets.UTF_8);
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof Struct) {
            return structText((Struct) value);
        }
        return String.valueOf(value);
    }

    private static String structText(Struct s) {
        Schema schema = s.schema();
        String name = schema.name() == null ? "" : schema.name();
        if (name.equals("io.debezium.data.VariableScaleDecimal")) {
            return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale")).toPlainString();
        }
        if (name.equals("io.debezium.data.geometry.Point")) {
            return "(" + plain(s.getFloat64("x")) + "," + plain(s.getFloat64("y")) + ")";
        }
        StringBuilder b = new StringBuilder("{");
        for (Field f : schema.fields()) {
            Object v = s.get(f);
            b.append(b.length() > 1 ? "," : "").append(f.name()).append('=');
            b.append(v instanceof byte[] ? Base64.getEncoder().encodeToString((byte[]) v) : text(v));
        }
        return b.append('}').toString();
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** The base type {@link PostgresTextValueConverter} names for a column it carries as text, or null. */
    private static String textKind(Schema schema) {
        return schema.parameters() == null ? null : schema.parameters().get(PostgresTextValueConverter.KIND_PARAM);
    }

    private static String fallbackSourceType(Schema schema) {
        return schema.name() != null ? schema.name() : schema.type().getName();
    }

    private static int intParam(Map<String, String> params, String key, int fallback) {
        String v = params == null ? null : params.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
