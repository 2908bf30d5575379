package io.tributary.s3;

import static io.tributary.s3.EventLogFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.SpecialValue;
import io.tributary.event.TableSchema;

import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

class ParquetEventLogRecordConverterTest {
    private final TableSchema schema = EventLogFixtures.allTypes();
    private final ParquetEventLogRecordConverter converter = new ParquetEventLogRecordConverter();

    static Row fullRow(long id, String price) {
        return Row.of(
                id,
                true,
                (short) -7,
                42,
                1.5f,
                2.25,
                new BigDecimal(price),
                new BigDecimal("12345678901234567890123456789012345678901234.56789"),
                "text",
                "6f1c1f5e-7c7e-4a55-9b1b-0b8e1c0e2f10",
                "{\"a\":1}",
                LocalDate.of(2026, 11, 23),
                LocalTime.of(10, 15, 30, 123_456_000),
                LocalDateTime.of(2026, 11, 23, 10, 15, 30, 123_456_000),
                OffsetDateTime.parse("2026-11-23T12:15:30.123456+02:00").toInstant(),
                new byte[] {1, 2, 3},
                Arrays.asList("a", null, "c"),
                Arrays.asList(new BigDecimal("1.50"), null),
                "source-op");
    }

    @Test
    void insertHasTypedValuesAndNoOldImage() {
        ChangeEvent e = event(schema, Op.INSERT, null, fullRow(1, "-12.345"), 100, 2, "2026-11-23T10:15:30Z");
        GenericRecord r = converter.toRecord(e);
        assertThat(r.get("id")).isEqualTo(1L);
        assertThat(r.get("small")).isEqualTo(-7);
        assertThat(r.get("real_v")).isEqualTo(1.5f);
        assertThat(decimal(r, "price")).isEqualTo(new BigDecimal("-12.345"));
        assertThat(r.get("huge")).isEqualTo("12345678901234567890123456789012345678901234.56789");
        assertThat(r.get("day")).isEqualTo((int) LocalDate.of(2026, 11, 23).toEpochDay());
        assertThat(r.get("clock"))
                .isEqualTo(LocalTime.of(10, 15, 30, 123_456_000).toNanoOfDay() / 1000);
        // wall-clock micros for timestamp, UTC micros for timestamptz: both 10:15:30.123456 here
        long utc = EventLogFixtures.micros("2026-11-23T10:15:30.123456Z");
        assertThat(r.get("local_ts")).isEqualTo(utc);
        assertThat(r.get("zoned_ts")).isEqualTo(utc);
        assertThat(r.get("blob")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(r.get("tags")).isEqualTo(Arrays.asList("a", null, "c"));
        List<?> amounts = (List<?>) r.get("amounts");
        assertThat(amounts.get(1)).isNull();
        assertThat(new Conversions.DecimalConversion()
                        .fromFixed(
                                (GenericData.Fixed) amounts.get(0),
                                fieldSchema("amounts")
                                        .getElementType()
                                        .getTypes()
                                        .get(1),
                                fieldSchema("amounts")
                                        .getElementType()
                                        .getTypes()
                                        .get(1)
                                        .getLogicalType()))
                .isEqualTo(new BigDecimal("1.50"));
        assertThat(r.get("src_op")).isEqualTo("source-op");
        assertThat(r.get("op")).isEqualTo("I");
        assertThat(r.get("is_snapshot")).isEqualTo(false);
        assertThat(r.get("commit_ts")).isEqualTo(EventLogFixtures.micros("2026-11-23T10:15:30Z"));
        assertThat(r.get("lsn")).isEqualTo(100L);
        assertThat(r.get("change_lsn")).isEqualTo(2L);
        assertThat(r.get("tx_id")).isEqualTo(10L);
        assertThat(r.get("event_id")).isEqualTo(e.eventId());
        assertThat(r.get("old_image")).isNull();
    }

    @Test
    void nullsStayNullAndDecimalsKeepTheirScale() {
        Object[] values = new Object[schema.size()];
        values[0] = 2L;
        values[schema.indexOf("price")] = new BigDecimal("7");
        GenericRecord r =
                converter.toRecord(event(schema, Op.INSERT, null, Row.wrap(values), 1, 1, "2026-11-23T10:00:00Z"));
        assertThat(decimal(r, "price")).isEqualTo(new BigDecimal("7.000"));
        assertThat(r.get("name")).isNull();
        assertThat(r.get("tags")).isNull();
        assertThat(r.get("local_ts")).isNull();
    }

    @Test
    void updateCarriesOldImageAndDeleteWritesTheOldRow() {
        Row before = fullRow(3, "1.000");
        Row after = fullRow(3, "2.000");
        GenericRecord u = converter.toRecord(event(schema, Op.UPDATE, before, after, 5, 1, "2026-11-23T10:00:00Z"));
        assertThat(decimal(u, "price")).isEqualTo(new BigDecimal("2.000"));
        GenericRecord old = (GenericRecord) u.get("old_image");
        assertThat(old.get("id")).isEqualTo(3L);
        assertThat(new Conversions.DecimalConversion()
                        .fromFixed(
                                (GenericData.Fixed) old.get("price"),
                                fieldSchema("price"),
                                fieldSchema("price").getLogicalType()))
                .isEqualTo(new BigDecimal("1.000"));

        GenericRecord d = converter.toRecord(event(schema, Op.DELETE, before, null, 6, 1, "2026-11-23T10:00:00Z"));
        assertThat(d.get("op")).isEqualTo("D");
        assertThat(decimal(d, "price")).isEqualTo(new BigDecimal("1.000"));
        assertThat(((GenericRecord) d.get("old_image")).get("id")).isEqualTo(3L);
    }

    @Test
    void roundingADecimalIsRefused() {
        ChangeEvent e = event(schema, Op.INSERT, null, fullRow(4, "1.23456"), 7, 1, "2026-11-23T10:00:00Z");
        assertThatThrownBy(() -> converter.toRecord(e)).hasMessageContaining("without rounding");
    }

    @Test
    void unchangedToastIsRefusedWithAFix() {
        Object[] values = fullRow(5, "1").toArray();
        values[schema.indexOf("doc")] = Row.UNCHANGED_TOAST;
        ChangeEvent e = event(schema, Op.UPDATE, null, Row.wrap(values), 8, 1, "2026-11-23T10:00:00Z");
        assertThatThrownBy(() -> converter.toRecord(e)).hasMessageContaining("sequencer");
    }

    @Test
    void timestampsBeforeTheEpochAreExact() {
        Object[] values = new Object[schema.size()];
        values[0] = 6L;
        values[schema.indexOf("zoned_ts")] = Instant.parse("1969-12-31T23:59:59.999999Z");
        GenericRecord r =
                converter.toRecord(event(schema, Op.INSERT, null, Row.wrap(values), 9, 1, "2026-11-23T10:00:00Z"));
        assertThat(r.get("zoned_ts")).isEqualTo(-1L);
    }

    private BigDecimal decimal(GenericRecord r, String field) {
        Schema s = fieldSchema(field);
        return new Conversions.DecimalConversion().fromFixed((GenericData.Fixed) r.get(field), s, s.getLogicalType());
    }

    private Schema fieldSchema(String field) {
        return AvroSchemaConverter.getNonNull(
                converter.schemaOf(schema).avro().getField(field).schema());
    }

    /** {@link #fullRow} with values no typed column holds: numeric NaN, ±infinity, 24:00:00, a timestamptz past 294247 AD. */
    static Row specialRow(long id) {
        Object[] v = fullRow(id, "1.000").toArray();
        v[6] = SpecialValue.NAN;
        v[11] = SpecialValue.POSITIVE_INFINITY;
        v[12] = SpecialValue.END_OF_DAY;
        v[13] = SpecialValue.NEGATIVE_INFINITY;
        v[14] = Instant.parse("+294276-12-31T23:59:59.999999Z");
        return Row.of(v);
    }

    @Test
    @SuppressWarnings("unchecked")
    void valuesATypedColumnCannotHoldAreNullThereAndSpelledOutInSpecialValues() {
        Row plain = fullRow(1, "2.000");
        ChangeEvent e = event(schema, Op.UPDATE, specialRow(1), plain, 100, 2, "2026-11-23T10:15:30Z");
        GenericRecord r = converter.toRecord(e);
        assertThat(r.get("price")).as("the new image is plain").isNotNull();
        assertThat(r.get("day")).isNotNull();
        GenericRecord old = (GenericRecord) r.get("old_image");
        assertThat(old.get("price")).isNull();
        assertThat(old.get("day")).isNull();
        assertThat(old.get("clock")).isNull();
        assertThat(old.get("local_ts")).isNull();
        assertThat(old.get("zoned_ts")).isNull();
        assertThat(old.get("name")).isEqualTo("text");
        assertThat((Map<String, String>) r.get("special_values"))
                .containsExactly(
                        Map.entry("old_image.price", "NaN"),
                        Map.entry("old_image.day", "infinity"),
                        Map.entry("old_image.clock", "24:00:00"),
                        Map.entry("old_image.local_ts", "-infinity"),
                        Map.entry("old_image.zoned_ts", "+294276-12-31T23:59:59.999999Z"));

        GenericRecord insert =
                converter.toRecord(event(schema, Op.INSERT, null, specialRow(2), 101, 1, "2026-11-23T10:15:30Z"));
        assertThat(insert.get("price")).isNull();
        assertThat(((Map<?, ?>) insert.get("special_values")).get("price")).isEqualTo("NaN");
        assertThat(converter
                        .toRecord(event(schema, Op.INSERT, null, plain, 102, 1, "2026-11-23T10:15:30Z"))
                        .get("special_values"))
                .as("no entry, no map")
                .isNull();
    }
}
