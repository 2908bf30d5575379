package io.tributary.event.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.RowState;
import io.tributary.event.SpecialValue;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.TestTables;
import io.tributary.event.ValueKind;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

class ChangeEventSerializerTest {
    private static final TableSchema ALL_KINDS = new TableSchema(
            new TableId("legacy", "everything"),
            List.of(
                    new Column("b", ColumnType.of(ValueKind.BOOLEAN, "bool"), true),
                    new Column("s", ColumnType.of(ValueKind.INT16, "int2"), true),
                    new Column("i", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("l", ColumnType.of(ValueKind.INT64, "int8"), true),
                    new Column("f", ColumnType.of(ValueKind.FLOAT32, "float4"), true),
                    new Column("d", ColumnType.of(ValueKind.FLOAT64, "float8"), true),
                    new Column("n", ColumnType.decimal(12, 2, "numeric"), true),
                    new Column("t", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("u", ColumnType.of(ValueKind.UUID, "uuid"), true),
                    new Column("j", ColumnType.of(ValueKind.JSON, "jsonb"), true),
                    new Column("dt", ColumnType.of(ValueKind.DATE, "date"), true),
                    new Column("tm", ColumnType.of(ValueKind.TIME, "time"), true),
                    new Column("ts", ColumnType.of(ValueKind.TIMESTAMP, "timestamp"), true),
                    new Column("tz", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true),
                    new Column("by", ColumnType.of(ValueKind.BYTES, "bytea"), true),
                    new Column("ar", ColumnType.arrayOf(ColumnType.of(ValueKind.STRING, "text"), "_text"), true)),
            List.of("i"));

    private static Object[] allKindsValues() {
        return new Object[] {
            true,
            (short) -3,
            42,
            1L << 40,
            1.5f,
            -2.25d,
            new BigDecimal("12345678.90"),
            "x".repeat(70_000),
            "6f1e2d3c-0000-4000-8000-00000000abcd",
            "{\"a\":[1,2]}",
            LocalDate.of(2026, 11, 23),
            LocalTime.of(10, 15, 30, 123_456_000),
            LocalDateTime.of(2026, 11, 23, 10, 15, 30, 123_456_000),
            Instant.parse("2026-11-23T10:15:30.123456Z"),
            new byte[] {0, 1, (byte) 0xff},
            Arrays.asList("a", null, "c")
        };
    }

    @Test
    void roundTripsEveryValueKindNullsAndToastMarker() throws Exception {
        Object[] after = allKindsValues();
        Object[] before = new Object[after.length];
        before[2] = 42;
        before[7] = Row.UNCHANGED_TOAST;
        ChangeEvent event = ChangeEvent.builder()
                .schema(ALL_KINDS)
                .op(Op.UPDATE)
                .before(Row.wrap(before))
                .after(Row.wrap(after))
                .commitLsn(0xFFFF_0000_1234L)
                .changeLsn(0xFFFF_0000_1200L)
                .txId(987)
                .commitTimeMicros(1_795_000_000_123_456L)
                .snapshot(false)
                .build();

        ChangeEvent copy = roundTrip(new ChangeEventSerializer(), event);

        assertThat(copy).isEqualTo(event);
        assertThat(copy.before().get(7)).isSameAs(Row.UNCHANGED_TOAST);
        assertThat(copy.eventId()).isEqualTo(event.eventId());
    }

    @Test
    void roundTripsSpecialValuesUnknownColumnsAndTruncate() throws Exception {
        Object[] after = allKindsValues();
        after[6] = SpecialValue.NAN;
        after[10] = SpecialValue.NEGATIVE_INFINITY;
        after[11] = SpecialValue.END_OF_DAY;
        after[13] = SpecialValue.POSITIVE_INFINITY;
        after[7] = null;
        ChangeEvent update = ChangeEvent.builder()
                .schema(ALL_KINDS)
                .op(Op.UPDATE)
                .before(Row.wrap(allKindsValues()))
                .after(Row.wrap(after))
                .commitLsn(10)
                .changeLsn(11)
                .unknownColumns(7, 14)
                .build();
        ChangeEvent truncate = ChangeEvent.builder()
                .schema(ALL_KINDS)
                .op(Op.TRUNCATE)
                .commitLsn(12)
                .changeLsn(13)
                .build();

        ChangeEvent copy = roundTrip(new ChangeEventSerializer(), update);
        assertThat(copy).isEqualTo(update);
        assertThat(copy.after().get(6)).isSameAs(SpecialValue.NAN);
        assertThat(copy.unknownColumns()).containsExactly("t", "by");
        assertThat(copy.isUnknown(7)).isTrue();
        assertThat(copy.isUnknown(6)).isFalse();
        ChangeEvent truncateCopy = roundTrip(new ChangeEventSerializer(), truncate);
        assertThat(truncateCopy).isEqualTo(truncate);
        assertThat(truncateCopy.routingKey()).isEqualTo("legacy.everything");
        assertThat(truncateCopy.key()).isEmpty();
    }

    @Test
    void truncateFanOutCopyKeepsItsIndexRouteAndEventId() throws Exception {
        ChangeEvent truncate = ChangeEvent.builder()
                .schema(ALL_KINDS)
                .op(Op.TRUNCATE)
                .commitLsn(12)
                .changeLsn(13)
                .build();
        ChangeEvent copy = truncate.toBuilder()
                .truncateCopy(2, 3, "legacy.everything\u0000#17")
                .build();

        ChangeEvent read = roundTrip(new ChangeEventSerializer(), copy);

        assertThat(read).isEqualTo(copy);
        assertThat(read.truncateCopy()).isEqualTo(2);
        assertThat(read.truncateCopies()).isEqualTo(3);
        assertThat(read.isPrimaryCopy()).isFalse();
        assertThat(read.sequencerKey()).isEqualTo("legacy.everything\u0000#17");
        assertThat(read.routingKey()).isEqualTo("legacy.everything");
        assertThat(read.eventId()).isEqualTo(truncate.eventId());
    }

    @Test
    void unknownColumnsMustBeAscendingIndexesOfTheNewImage() {
        ChangeEvent.Builder b =
                ChangeEvent.builder().schema(ALL_KINDS).op(Op.UPDATE).after(Row.wrap(allKindsValues()));
        Assertions.assertThatThrownBy(() -> b.unknownColumns(7, 3).build())
                .isInstanceOf(IllegalArgumentException.class);
        Assertions.assertThatThrownBy(() -> b.unknownColumns(99).build()).isInstanceOf(IllegalArgumentException.class);
        Assertions.assertThatThrownBy(() -> ChangeEvent.builder()
                        .schema(ALL_KINDS)
                        .op(Op.TRUNCATE)
                        .after(Row.wrap(allKindsValues()))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flinkPicksTheCustomSerializerNotKryo() {
        TypeInformation<ChangeEvent> info = TypeInformation.of(ChangeEvent.class);
        assertThat(info).isInstanceOf(ChangeEventTypeInfo.class);
    }

    @Test
    void schemaChangeBetweenRecordsOfOneSerializerIsKept() throws Exception {
        ChangeEventSerializer serializer = new ChangeEventSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        ChangeEvent v1 = TestTables.insert(TestTables.WIDGETS, 10, 1, 2, "bolt", "doc");
        ChangeEvent v2 = TestTables.insert(TestTables.WIDGETS_V2, 20, 1, 2, "bolt", "doc", new BigDecimal("9.99"));
        serializer.serialize(v1, out);
        serializer.serialize(v2, out);
        serializer.serialize(v1, out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ChangeEventSerializer reader = new ChangeEventSerializer();
        assertThat(reader.deserialize(in)).isEqualTo(v1);
        assertThat(reader.deserialize(in).schema()).isEqualTo(TestTables.WIDGETS_V2);
        assertThat(reader.deserialize(in).schema().fingerprint()).isEqualTo(TestTables.WIDGETS.fingerprint());
    }

    @Test
    void rowStateRoundTripsWithAndWithoutImage() throws Exception {
        RowState live = new RowState(5, 6, ALL_KINDS, Row.wrap(allKindsValues()));
        RowState deleted = new RowState(7, 8, ALL_KINDS, null);
        assertThat(roundTrip(new RowStateSerializer(), live)).isEqualTo(live);
        assertThat(roundTrip(new RowStateSerializer(), deleted)).isEqualTo(deleted);
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        T copy = serializer.duplicate().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isEqualTo(serializer);
        return copy;
    }
}
