package io.tributary.s3;

import io.tributary.event.ColumnType;
import io.tributary.event.SpecialValue;
import io.tributary.event.ValueKind;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.parquet.avro.AvroSchemaConverter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Each {@link ValueKind}'s event log storage form, its writer (the Java class the kind names → Avro storage value:
 * micros, days, fixed bytes) and its reader (Avro storage value, Utf8 included → the Java class) side by side in
 * one codec per kind; and the rule for values a typed column cannot hold, which go to {@code special_values} as
 * text. {@link ParquetEventLogRecordConverter} writes with it, {@link ParquetEventLogReader} reads with it.
 */
final class ParquetEventLogValues {
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    /** The range of timestamps 64-bit microseconds since 1970 hold; PostgreSQL's reaches 294276 AD. */
    private static final LocalDateTime MIN_MICROS = LocalDateTime.ofEpochSecond(
                    Math.floorDiv(Long.MIN_VALUE, 1_000_000L), 0, ZoneOffset.UTC)
            .plusSeconds(1);

    private static final LocalDateTime MAX_MICROS =
            LocalDateTime.ofEpochSecond(Math.floorDiv(Long.MAX_VALUE, 1_000_000L), 0, ZoneOffset.UTC);

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
            if (special.allowedIn(type.kind())
                    && special.postgresText(type.kind()).equals(text)) {
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

    /** The writer of one column of {@code type} stored as {@code avro} (the non-null branch): value → storage form. */
    static Function<Object, Object> writer(ColumnType type, Schema avro) {
        return CODECS.get(type.kind()).writer(type, avro);
    }

    /** The reader of one column of {@code type} stored as {@code avro} (the non-null branch): the writer's inverse. */
    static Function<Object, Object> reader(ColumnType type, Schema avro) {
        return CODECS.get(type.kind()).reader(type, avro);
    }

    /**
     * One kind's storage form, written and read side by side, so that adding a kind is one entry in {@link #CODECS}.
     * Writers and readers are made once per column (per file schema), never per value.
     */
    private interface Codec {
        Function<Object, Object> writer(ColumnType type, Schema avro);

        Function<Object, Object> reader(ColumnType type, Schema avro);
    }

    /** A codec whose storage form does not depend on the column's precision, scale or Avro schema. */
    private static Codec codec(Function<Object, Object> writer, Function<Object, Object> reader) {
        return new Codec() {
            @Override
            public Function<Object, Object> writer(ColumnType type, Schema avro) {
                return writer;
            }

            @Override
            public Function<Object, Object> reader(ColumnType type, Schema avro) {
                return reader;
            }
        };
    }

    private static final Map<ValueKind, Codec> CODECS = new EnumMap<>(ValueKind.class);

    static {
        Codec text = codec(Object::toString, Object::toString);
        CODECS.put(ValueKind.BOOLEAN, codec(v -> v, v -> (Boolean) v));
        CODECS.put(ValueKind.INT16, codec(v -> ((Number) v).intValue(), v -> ((Number) v).shortValue()));
        CODECS.put(ValueKind.INT32, codec(v -> ((Number) v).intValue(), v -> ((Number) v).intValue()));
        CODECS.put(ValueKind.INT64, codec(v -> ((Number) v).longValue(), v -> ((Number) v).longValue()));
        CODECS.put(ValueKind.FLOAT32, codec(v -> ((Number) v).floatValue(), v -> ((Number) v).floatValue()));
        CODECS.put(ValueKind.FLOAT64, codec(v -> ((Number) v).doubleValue(), v -> ((Number) v).doubleValue()));
        CODECS.put(ValueKind.DECIMAL, new DecimalCodec());
        CODECS.put(ValueKind.STRING, text);
        CODECS.put(ValueKind.UUID, text);
        CODECS.put(ValueKind.JSON, text);
        CODECS.put(
                ValueKind.DATE,
                codec(v -> (int) ((LocalDate) v).toEpochDay(), v -> LocalDate.ofEpochDay(((Number) v).intValue())));
        CODECS.put(
                ValueKind.TIME,
                codec(
                        v -> ((LocalTime) v).toNanoOfDay() / 1000L,
                        v -> LocalTime.ofNanoOfDay(((Number) v).longValue() * 1000L)));
        CODECS.put(
                ValueKind.TIMESTAMP,
                codec(
                        v -> micros(((LocalDateTime) v).toEpochSecond(ZoneOffset.UTC), ((LocalDateTime) v).getNano()),
                        v -> {
                            long micros = ((Number) v).longValue();
                            return LocalDateTime.ofEpochSecond(
                                    Math.floorDiv(micros, 1_000_000L),
                                    (int) Math.floorMod(micros, 1_000_000L) * 1000,
                                    ZoneOffset.UTC);
                        }));
        CODECS.put(
                ValueKind.TIMESTAMPTZ,
                codec(v -> micros(((Instant) v).getEpochSecond(), ((Instant) v).getNano()), v -> {
                    long micros = ((Number) v).longValue();
                    return Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
                }));
        CODECS.put(ValueKind.BYTES, codec(v -> ByteBuffer.wrap((byte[]) v), v -> {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }));
        CODECS.put(ValueKind.ARRAY, new ArrayCodec());
        for (ValueKind kind : ValueKind.values()) {
            if (!CODECS.containsKey(kind)) {
                throw new ExceptionInInitializerError("no event log codec for " + kind + ": add one to CODECS");
            }
        }
    }

    private static long micros(long epochSecond, int nano) {
        return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nano / 1000L);
    }

    /** numeric(p,s): Avro fixed decimal, or its plain text where the precision is wider than a decimal column holds. */
    private static final class DecimalCodec implements Codec {
        @Override
        public Function<Object, Object> writer(ColumnType type, Schema avro) {
            if (ParquetEventLogSchema.decimalAsString(type)) {
                return v -> ((BigDecimal) v).toPlainString();
            }
            LogicalType logical = avro.getLogicalType();
            return v -> {
                BigDecimal d;
                try {
                    d = ((BigDecimal) v).setScale(type.scale(), RoundingMode.UNNECESSARY);
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException(
                            "value " + v + " does not fit " + type
                                    + " without rounding: check the column's declared scale",
                            e);
                }
                if (d.precision() > type.precision()) {
                    throw new IllegalArgumentException("value " + v + " has more digits than " + type);
                }
                return DECIMALS.toFixed(d, avro, logical);
            };
        }

        @Override
        public Function<Object, Object> reader(ColumnType type, Schema avro) {
            if (ParquetEventLogSchema.decimalAsString(type)) {
                return v -> new BigDecimal(v.toString());
            }
            LogicalType logical = avro.getLogicalType();
            return v -> DECIMALS.fromFixed((GenericFixed) v, avro, logical);
        }
    }

    /** A list of the element kind's storage values, NULL elements kept. */
    private static final class ArrayCodec implements Codec {
        @Override
        public Function<Object, Object> writer(ColumnType type, Schema avro) {
            return each(ParquetEventLogValues.writer(
                    type.element(), AvroSchemaConverter.getNonNull(avro.getElementType())));
        }

        @Override
        public Function<Object, Object> reader(ColumnType type, Schema avro) {
            return each(ParquetEventLogValues.reader(
                    type.element(), AvroSchemaConverter.getNonNull(avro.getElementType())));
        }

        private static Function<Object, Object> each(Function<Object, Object> element) {
            return v -> {
                List<?> in = (List<?>) v;
                List<Object> out = new ArrayList<>(in.size());
                for (Object e : in) {
                    out.add(e == null ? null : element.apply(e));
                }
                return out;
            };
        }
    }
}
