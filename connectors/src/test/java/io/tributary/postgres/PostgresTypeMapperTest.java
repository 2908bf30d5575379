package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ColumnType;
import io.tributary.event.Row;
import io.tributary.event.SpecialValue;
import io.tributary.event.ValueKind;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

class PostgresTypeMapperTest {
    private final PostgresTypeMapper mapper = new PostgresTypeMapper();

    static Schema col(SchemaBuilder b, String pgType) {
        return b.optional()
                .parameter(PostgresTypeMapper.TYPE_PARAM, pgType.toUpperCase())
                .build();
    }

    static Schema col(SchemaBuilder b, String pgType, int length, int scale) {
        return b.optional()
                .parameter(PostgresTypeMapper.TYPE_PARAM, pgType.toUpperCase())
                .parameter(PostgresTypeMapper.LENGTH_PARAM, Integer.toString(length))
                .parameter(PostgresTypeMapper.SCALE_PARAM, Integer.toString(scale))
                .build();
    }

    private Object map(Schema s, Object value) {
        return mapper.value(s, mapper.columnType(s), value);
    }

    @Test
    void mapsIntegersFloatsAndBooleans() {
        Schema i2 = col(SchemaBuilder.int16(), "int2");
        Schema i4 = col(SchemaBuilder.int32(), "int4");
        Schema i8 = col(SchemaBuilder.int64(), "int8");
        Schema f4 = col(SchemaBuilder.float32(), "float4");
        Schema f8 = col(SchemaBuilder.float64(), "float8");
        Schema b = col(SchemaBuilder.bool(), "bool");
        assertThat(mapper.columnType(i2)).isEqualTo(ColumnType.of(ValueKind.INT16, "int2"));
        assertThat(mapper.columnType(i4)).isEqualTo(ColumnType.of(ValueKind.INT32, "int4"));
        assertThat(mapper.columnType(i8)).isEqualTo(ColumnType.of(ValueKind.INT64, "int8"));
        assertThat(mapper.columnType(f4)).isEqualTo(ColumnType.of(ValueKind.FLOAT32, "float4"));
        assertThat(mapper.columnType(f8)).isEqualTo(ColumnType.of(ValueKind.FLOAT64, "float8"));
        assertThat(mapper.columnType(b)).isEqualTo(ColumnType.of(ValueKind.BOOLEAN, "bool"));
        assertThat(map(i2, (short) -7)).isEqualTo((short) -7);
        assertThat(map(i4, 42)).isEqualTo(42);
        assertThat(map(i8, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(map(f4, 1.5f)).isEqualTo(1.5f);
        assertThat(map(f8, Double.NaN)).isEqualTo(Double.NaN);
        assertThat(map(b, true)).isEqualTo(true);
        assertThat(map(i4, null)).isNull();
    }

    @Test
    void constrainedNumericIsExactDecimalAndUnconstrainedIsText() {
        Schema price = col(SchemaBuilder.string(), "numeric", 10, 2);
        assertThat(mapper.columnType(price)).isEqualTo(ColumnType.decimal(10, 2, "numeric"));
        assertThat(map(price, "12345678.90")).isEqualTo(new BigDecimal("12345678.90"));
        assertThat(map(price, "1.5")).isEqualTo(new BigDecimal("1.50"));

        // Debezium reports a length above numeric's 1000-digit limit for unconstrained numeric.
        Schema any = col(SchemaBuilder.string(), "numeric", 131089, 0);
        assertThat(mapper.columnType(any).kind()).isEqualTo(ValueKind.STRING);
        assertThat(map(any, "3.14159265358979323846264338327950288"))
                .isEqualTo("3.14159265358979323846264338327950288");
        assertThat(map(any, "NaN")).isEqualTo("NaN");

        Schema precise = SchemaBuilder.bytes()
                .name("org.apache.kafka.connect.data.Decimal")
                .parameter("scale", "3")
                .parameter(PostgresTypeMapper.TYPE_PARAM, "NUMERIC")
                .parameter(PostgresTypeMapper.LENGTH_PARAM, "8")
                .optional()
                .build();
        assertThat(mapper.columnType(precise)).isEqualTo(ColumnType.decimal(8, 3, "numeric"));
        assertThat(map(precise, new BigDecimal("1.250"))).isEqualTo(new BigDecimal("1.250"));
    }

    @Test
    void mapsTextUuidAndJson() {
        assertThat(mapper.columnType(col(SchemaBuilder.string(), "varchar")))
                .isEqualTo(ColumnType.of(ValueKind.STRING, "varchar"));
        Schema uuid = col(SchemaBuilder.string().name("io.debezium.data.Uuid"), "uuid");
        assertThat(mapper.columnType(uuid).kind()).isEqualTo(ValueKind.UUID);
        assertThat(map(uuid, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        Schema json = col(SchemaBuilder.string().name("io.debezium.data.Json"), "jsonb");
        assertThat(mapper.columnType(json)).isEqualTo(ColumnType.of(ValueKind.JSON, "jsonb"));
        assertThat(map(json, "{\"a\": 1}")).isEqualTo("{\"a\": 1}");
    }

    @Test
    void mapsDatesTimesAndTimestampsToTheMicrosecond() {
        Schema date = col(SchemaBuilder.int32().name("io.debezium.time.Date"), "date");
        assertThat(map(date, 19782)).isEqualTo(LocalDate.of(2024, 2, 29));
        Schema microTime = col(SchemaBuilder.int64().name("io.debezium.time.MicroTime"), "time");
        assertThat(mapper.columnType(microTime).kind()).isEqualTo(ValueKind.TIME);
        assertThat(map(microTime, 47_655_123_456L)).isEqualTo(LocalTime.parse("13:14:15.123456"));
        assertThat(map(microTime, 86_400_000_000L)).isEqualTo(SpecialValue.END_OF_DAY);
        Schema milliTime = col(SchemaBuilder.int32().name("io.debezium.time.Time"), "time");
        assertThat(map(milliTime, 47_655_123)).isEqualTo(LocalTime.parse("13:14:15.123"));

        Schema micros = col(SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp"), "timestamp");
        assertThat(mapper.columnType(micros).kind()).isEqualTo(ValueKind.TIMESTAMP);
        assertThat(map(micros, 1_709_212_455_654_321L)).isEqualTo(LocalDateTime.parse("2024-02-29T13:14:15.654321"));
        assertThat(map(micros, -1L)).isEqualTo(LocalDateTime.parse("1969-12-31T23:59:59.999999"));
        Schema millis = col(SchemaBuilder.int64().name("io.debezium.time.Timestamp"), "timestamp");
        assertThat(map(millis, 1_709_212_455_654L)).isEqualTo(LocalDateTime.parse("2024-02-29T13:14:15.654"));

        Schema tz = col(SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp"), "timestamptz");
        assertThat(mapper.columnType(tz).kind()).isEqualTo(ValueKind.TIMESTAMPTZ);
        assertThat(map(tz, "2024-02-29T11:14:15.123456Z")).isEqualTo(Instant.parse("2024-02-29T11:14:15.123456Z"));
        assertThat(map(tz, "2024-02-29T13:14:15.5+02:00")).isEqualTo(Instant.parse("2024-02-29T11:14:15.5Z"));
        assertThat(map(tz, "infinity")).isEqualTo(SpecialValue.POSITIVE_INFINITY);
    }

    @Test
    void mapsByteaAndArrays() {
        Schema bytea = col(SchemaBuilder.bytes(), "bytea");
        assertThat(mapper.columnType(bytea).kind()).isEqualTo(ValueKind.BYTES);
        assertThat((byte[]) map(bytea, ByteBuffer.wrap(new byte[] {0, -1, 16}))).containsExactly(0, -1, 16);
        assertThat((byte[]) map(bytea, new byte[] {1})).containsExactly(1);

        Schema texts = col(SchemaBuilder.array(SchemaBuilder.OPTIONAL_STRING_SCHEMA), "_text");
        assertThat(mapper.columnType(texts))
                .isEqualTo(ColumnType.arrayOf(ColumnType.of(ValueKind.STRING, "text"), "_text"));
        assertThat(map(texts, Arrays.asList("a", null, "b c"))).isEqualTo(Arrays.asList("a", null, "b c"));
        Schema ints = col(SchemaBuilder.array(SchemaBuilder.OPTIONAL_INT32_SCHEMA), "_int4");
        assertThat(mapper.columnType(ints).element()).isEqualTo(ColumnType.of(ValueKind.INT32, "int4"));
        assertThat(map(ints, List.of(1, 2))).isEqualTo(List.of(1, 2));
        Schema uuids = col(
                SchemaBuilder.array(SchemaBuilder.string()
                        .name("io.debezium.data.Uuid")
                        .optional()
                        .build()),
                "_uuid");
        assertThat(map(uuids, List.of("ABC"))).isEqualTo(List.of("abc"));
    }

    @Test
    void unknownTypesKeepTheirTextForm() {
        Schema mood = col(SchemaBuilder.string().name("io.debezium.data.Enum"), "mood");
        assertThat(mapper.columnType(mood)).isEqualTo(ColumnType.of(ValueKind.STRING, "mood"));
        assertThat(map(mood, "happy")).isEqualTo("happy");
        Schema interval = col(SchemaBuilder.string().name("io.debezium.time.Interval"), "interval");
        assertThat(map(interval, "P0Y0M1DT2H3M4S")).isEqualTo("P0Y0M1DT2H3M4S");
        // include.unknown.datatypes: the bytes of the text form
        Schema tsvector = col(SchemaBuilder.bytes(), "tsvector");
        assertThat(mapper.columnType(tsvector).kind()).isEqualTo(ValueKind.STRING);
        assertThat(map(tsvector, "'a':1".getBytes(StandardCharsets.UTF_8))).isEqualTo("'a':1");
        Schema point = col(
                SchemaBuilder.struct()
                        .name("io.debezium.data.geometry.Point")
                        .field("x", Schema.FLOAT64_SCHEMA)
                        .field("y", Schema.FLOAT64_SCHEMA)
                        .field("wkb", Schema.OPTIONAL_BYTES_SCHEMA)
                        .field("srid", Schema.OPTIONAL_INT32_SCHEMA),
                "point");
        assertThat(mapper.columnType(point).kind()).isEqualTo(ValueKind.STRING);
        assertThat(map(point, new Struct(point).put("x", 1.0).put("y", 2.5))).isEqualTo("(1,2.5)");
        Schema noParams = SchemaBuilder.string().optional().build();
        assertThat(mapper.columnType(noParams)).isEqualTo(ColumnType.of(ValueKind.STRING, "string"));
    }

    @Test
    void toastPlaceholdersBecomeUnchangedToast() {
        String placeholder = PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER;
        assertThat(map(col(SchemaBuilder.string(), "text"), placeholder)).isSameAs(Row.UNCHANGED_TOAST);
        assertThat(map(col(SchemaBuilder.string().name("io.debezium.data.Json"), "jsonb"), placeholder))
                .isSameAs(Row.UNCHANGED_TOAST);
        byte[] bytes = placeholder.getBytes(StandardCharsets.UTF_8);
        assertThat(map(col(SchemaBuilder.bytes(), "bytea"), bytes)).isSameAs(Row.UNCHANGED_TOAST);
        assertThat(map(col(SchemaBuilder.bytes(), "bytea"), ByteBuffer.wrap(bytes)))
                .isSameAs(Row.UNCHANGED_TOAST);
        Schema texts = col(SchemaBuilder.array(SchemaBuilder.OPTIONAL_STRING_SCHEMA), "_text");
        assertThat(map(texts, List.of(placeholder))).isSameAs(Row.UNCHANGED_TOAST);
        assertThat(map(texts, List.of(placeholder, "x"))).isEqualTo(List.of(placeholder, "x"));
        assertThat(new PostgresTypeMapper("~gone~")
                        .value(col(SchemaBuilder.string(), "text"), ColumnType.of(ValueKind.STRING, "text"), "~gone~"))
                .isSameAs(Row.UNCHANGED_TOAST);
    }

    /** A column {@link PostgresTextValueConverter} carries: a string with the base type as parameter. */
    static Schema text(String kind, String pgType, int length, int scale) {
        return SchemaBuilder.string()
                .optional()
                .parameter(PostgresTextValueConverter.KIND_PARAM, kind)
                .parameter(PostgresTypeMapper.TYPE_PARAM, pgType.toUpperCase())
                .parameter(PostgresTypeMapper.LENGTH_PARAM, Integer.toString(length))
                .parameter(PostgresTypeMapper.SCALE_PARAM, Integer.toString(scale))
                .build();
    }

    @Test
    void textOfNumericCarriesNaNAndInfinityAsSpecialValues() {
        Schema price = text("numeric", "numeric", 10, 2);
        assertThat(mapper.columnType(price)).isEqualTo(ColumnType.decimal(10, 2, "numeric"));
        assertThat(map(price, "NaN")).isEqualTo(SpecialValue.NAN);
        assertThat(map(price, "12.5")).isEqualTo(new BigDecimal("12.50"));
        Schema domain = text("numeric", "price2", 10, 2);
        assertThat(mapper.columnType(domain)).isEqualTo(ColumnType.decimal(10, 2, "price2"));
        assertThat(map(domain, "NaN")).isEqualTo(SpecialValue.NAN);
        Schema wide = text("numeric", "numeric", 0, 0);
        assertThat(mapper.columnType(wide).kind()).isEqualTo(ValueKind.STRING);
        assertThat(map(wide, "Infinity")).isEqualTo("Infinity");
        assertThat(map(wide, "-Infinity")).isEqualTo("-Infinity");
    }

    @Test
    void textOfDatesAndTimesCarriesInfinityEndOfDayAndBcDates() {
        Schema d = text("date", "date", 13, 0);
        Schema ts = text("timestamp", "timestamp", 29, 6);
        Schema tz = text("timestamptz", "timestamptz", 35, 6);
        Schema t = text("time", "time", 15, 6);
        assertThat(mapper.columnType(d).kind()).isEqualTo(ValueKind.DATE);
        assertThat(mapper.columnType(ts).kind()).isEqualTo(ValueKind.TIMESTAMP);
        assertThat(mapper.columnType(tz).kind()).isEqualTo(ValueKind.TIMESTAMPTZ);
        assertThat(mapper.columnType(t).kind()).isEqualTo(ValueKind.TIME);
        assertThat(map(d, "infinity")).isEqualTo(SpecialValue.POSITIVE_INFINITY);
        assertThat(map(d, "-infinity")).isEqualTo(SpecialValue.NEGATIVE_INFINITY);
        assertThat(map(d, "0000-01-01")).isEqualTo(LocalDate.of(0, 1, 1)); // 1 BC
        assertThat(map(d, "+10000-01-01")).isEqualTo(LocalDate.of(10_000, 1, 1));
        assertThat(map(ts, "-infinity")).isEqualTo(SpecialValue.NEGATIVE_INFINITY);
        assertThat(map(ts, "-4712-01-01T00:00")).isEqualTo(LocalDateTime.of(-4712, 1, 1, 0, 0));
        assertThat(map(tz, "infinity")).isEqualTo(SpecialValue.POSITIVE_INFINITY);
        assertThat(map(tz, "+12000-06-01T10:00:00.500Z")).isEqualTo(Instant.parse("+12000-06-01T10:00:00.500Z"));
        assertThat(map(tz, "2024-01-01T10:00Z")).isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(map(t, "24:00:00")).isEqualTo(SpecialValue.END_OF_DAY);
        assertThat(map(t, "13:14:15.123456")).isEqualTo(LocalTime.parse("13:14:15.123456"));
        assertThat(map(t, PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER)).isSameAs(Row.UNCHANGED_TOAST);
    }

    @Test
    void debeziumStreamSpellingsOfNumericSpecialsAreRecognised() {
        Schema price = col(SchemaBuilder.string(), "numeric", 10, 2);
        assertThat(map(price, "NAN")).isEqualTo(SpecialValue.NAN);
    }
}
