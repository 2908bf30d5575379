package io.tributary.s3;

import io.tributary.event.ColumnType;

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
 * days, fixed bytes, Utf8) back to the Java class its {@link io.tributary.event.ValueKind} names.
 */
final class ParquetEventLogValues {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private ParquetEventLogValues() {}

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
