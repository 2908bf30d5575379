package io.tributary.s3;

import io.tributary.event.ColumnType;
import io.tributary.event.SpecialValue;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.parquet.avro.AvroSchemaConverter;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The inverse of {@link ParquetEventLogRecordConverter}'s value plan: an Avro storage value (micros,
 * days, fixed bytes, Utf8) back to the Java class its {@link io.tributary.event.ValueKind} names; and
 * the rule for values a typed column cannot hold, which go to {@code special_values} as text.
 */
final class ParquetEventLogValues {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    /** The range of timestamps 64-bit microseconds since 1970 hold; PostgreSQL's reaches 294276 AD. */
    private static final LocalDateTime MIN_MICROS = LocalDateTime.ofEpochSecond(
            Math.floorDiv(Long.MIN_VALUE, 1_000_000L), 0, ZoneOffset.UTC).plusSeconds(1);
    private static final LocalDateTime MAX_MICROS = LocalDateTime.ofEpochSecond(
            Math.floorDiv(Long.MAX_VALUE, 1_000_000L), 0, ZoneOffset.UTC);

    private ParquetEventLogValues() {}

    /**
     * The text a value goes to {@code special_values} as, because its typed column cannot hold it; null
     * if the typed column can. Special values are PostgreSQL's spelling ({@link SpecialValue#postgresText}),
     * out-of-range timestamps their ISO-8601 text.
     */
    static String specialText(ColumnType type, Object v) {
        if (v instanceof SpecialValue) {
            return ((SpecialValue) v).postgresText(type.kind());
        }
        if (v instanceof LocalDateTime && outOfMicros((LocalDateTime) v)) {
            return v.toString();
        }
        if (v instanceof Instant && outOfMicros(LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC))) {
            return v.toString();
        }
        return null;
    }

    private static boolean outOfMicros(LocalDateTime t) {
        return t.isBefore(MIN_MICROS) || t.isAfter(MAX_MICROS);
    }

    /** The inverse of {@link #specialText}: the value a {@code special_values} entry stands for. */
    static Object fromSpecialText(ColumnType type, String text) {
        for (SpecialValue special : SpecialValue.values()) {
            if (special.allowedIn(type.kind()) && special.postgresText(type.kind()).equals(text)) {
                return special;
            }
        }
        switch (type.kind()) {
            case TIMESTAMP:
                return LocalDateTime.parse(text);
            case TIMESTAMPTZ:
                return Instant.parse(text);
            default:
                throw new IllegalArgumentException("special_values holds '" + text + "' for a column of " + type
                        + ", which the event log never writes there");
        }
    }

    /** The reader of one column of {@code type} stored as {@code avro} (the non-null branch). */
    static Function<Object, Object> reader(ColumnType type, Schema avro) {
        switch (type.kind()) {
            case BOOLEAN:
                return v -> (Boolean) v;
            case INT16:
                return v -> ((Number) v).shortValue();
            case INT32:
                return v -> ((Number) v).intValue();
            case INT64:
                return v -> ((Number) v).longValue();
            case FLOAT32:
                return v -> ((Number) v).floatValue();
            case FLOAT64:
                return v -> ((Number) v).doubleValue();
            case DECIMAL:
                return decimal(type, avro);
            case STRING:
            case UUID:
            case JSON:
                return Object::toString;
            case DATE:
                return v -> LocalDate.ofEpochDay(((Number) v).intValue());
            case TIME:
                return v -> LocalTime.ofNanoOfDay(((Number) v).longValue() * 1000L);
            case TIMESTAMP:
                return v -> {
                    long micros = ((Number) v).longValue();
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
                };
            case TIMESTAMPTZ:
                return v -> {
                    long micros = ((Number) v).longValue();
                    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
                };
            case BYTES:
                return v -> {
                    ByteBuffer b = ((ByteBuffer) v).duplicate();
                    byte[] out = new byte[b.remaining()];
                    b.get(out);
                    return out;
                };
            case ARRAY: {
                Function<Object, Object> element = reader(type.element(),
                        AvroSchemaConverter.getNonNull(avro.getElementType()));
                return v -> {
                    List<?> in = (List<?>) v;
                    List<Object> out = new ArrayList<>(in.size());
                    for (Object e : in) {
                        out.add(e == null ? null : element.apply(e));
                    }
                    return out;
                };
            }
            default:
                throw new IllegalArgumentException("no event log reader for " + type);
        }
    }

    private static Function<Object, Object> decimal(ColumnType type, Schema avro) {
        if (ParquetEventLogSchema.decimalAsString(type)) {
            return v -> new BigDecimal(v.toString());
        }
        LogicalType logical = avro.getLogicalType();
        return v -> DECIMALS.fromFixed((GenericFixed) v, avro, logical);
    }
}
