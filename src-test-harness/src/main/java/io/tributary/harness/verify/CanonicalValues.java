package io.tributary.harness.verify;

import io.tributary.event.ColumnType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One text form for a value read over JDBC from PostgreSQL or from DuckDB over the event log, so
 * the two can be compared: instants in UTC ISO-8601, plain decimals, hex bytes, normalised JSON.
 */
public final class CanonicalValues {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private CanonicalValues() {}

    public static String of(Object v, ColumnType type) throws SQLException {
        if (v == null) {
            return null;
        }
        switch (type.kind()) {
            case ARRAY:
                List<String> items = new ArrayList<>();
                for (Object e : elements(v)) {
                    items.add(of(e, type.element()));
                }
                return items.toString();
            case TIMESTAMPTZ:
                return instant(v).toString();
            case TIMESTAMP:
                return (v instanceof Timestamp ? ((Timestamp) v).toLocalDateTime() : (LocalDateTime) v).toString();
            case DATE:
                return (v instanceof Date ? ((Date) v).toLocalDate() : (LocalDate) v).toString();
            case TIME:
                return (v instanceof Time ? ((Time) v).toLocalTime() : (LocalTime) v).toString();
            case DECIMAL:
                return new BigDecimal(v.toString()).toPlainString();
            case INT16:
            case INT32:
            case INT64:
                return Long.toString(((Number) v).longValue());
            case FLOAT32:
                return Float.toString(((Number) v).floatValue());
            case FLOAT64:
                return Double.toString(((Number) v).doubleValue());
            case BYTES:
                return HexFormat.of()
                        .formatHex(v instanceof Blob ? ((Blob) v).getBytes(1, (int) ((Blob) v).length()) : (byte[]) v);
            case JSON:
                return json(v.toString());
            case UUID:
                return v.toString().toLowerCase();
            case STRING:
                // Unconstrained numeric travels as exact text; compare it as a number (NaN, ±Infinity as text).
                return type.sourceType().equals("numeric")
                                && !v.toString().contains("N")
                                && !v.toString().contains("n")
                        ? new BigDecimal(v.toString()).toPlainString()
                        : v.toString();
            default:
                return v.toString();
        }
    }

    private static Instant instant(Object v) {
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).toInstant();
        }
        if (v instanceof Timestamp) {
            return ((Timestamp) v).toInstant();
        }
        if (v instanceof Instant) {
            return (Instant) v;
        }
        return OffsetDateTime.parse(v.toString()).toInstant();
    }

    private static List<?> elements(Object v) throws SQLException {
        if (v instanceof List) {
            return (List<?>) v;
        }
        if (v instanceof Array) {
            return List.of((Object[]) ((Array) v).getArray());
        }
        if (v instanceof Object[]) {
            return Arrays.asList((Object[]) v);
        }
        throw new IllegalArgumentException("not an array: " + v.getClass());
    }

    private static String json(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
        } catch (Exception e) {
            return text;
        }
    }
}
