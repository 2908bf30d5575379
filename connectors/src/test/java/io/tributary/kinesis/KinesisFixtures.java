package io.tributary.kinesis;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

/** A table with a column of every value kind, and changes to it, for the Kinesis tests and examples. */
final class KinesisFixtures {
    private KinesisFixtures() {}

    static final TableSchema ALL_KINDS = new TableSchema(
            new TableId("shop", "orders"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT64, "int8"), false),
                    new Column("paid", ColumnType.of(ValueKind.BOOLEAN, "bool"), true),
                    new Column("lines", ColumnType.of(ValueKind.INT16, "int2"), true),
                    new Column("qty", ColumnType.of(ValueKind.INT32, "int4"), true),
                    new Column("weight", ColumnType.of(ValueKind.FLOAT32, "float4"), true),
                    new Column("score", ColumnType.of(ValueKind.FLOAT64, "float8"), true),
                    new Column("total", ColumnType.decimal(38, 9, "numeric"), true),
                    new Column("note", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("ref", ColumnType.of(ValueKind.UUID, "uuid"), true),
                    new Column("attrs", ColumnType.of(ValueKind.JSON, "jsonb"), true),
                    new Column("due", ColumnType.of(ValueKind.DATE, "date"), true),
                    new Column("slot", ColumnType.of(ValueKind.TIME, "time"), true),
                    new Column("local_at", ColumnType.of(ValueKind.TIMESTAMP, "timestamp"), true),
                    new Column("placed_at", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true),
                    new Column("receipt", ColumnType.of(ValueKind.BYTES, "bytea"), true),
                    new Column("tags", ColumnType.arrayOf(ColumnType.of(ValueKind.STRING, "text"), "_text"), true),
                    new Column("amounts", ColumnType.arrayOf(ColumnType.decimal(10, 2, "numeric"), "_numeric"), true)),
            List.of("id"));

    static Row row(long id, int qty, String total) {
        return Row.of(
                id,
                true,
                (short) 3,
                qty,
                0.1f,
                2.5e-3,
                new BigDecimal(total),
                "bolt \"M8\" \u00e9",
                "6f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6",
                "{\"color\":\"red\",\"sizes\":[8,10],\"n\":null}",
                LocalDate.of(2026, 11, 30),
                LocalTime.of(9, 5, 0, 120_000),
                LocalDateTime.of(2026, 11, 23, 10, 15, 30, 123_456_000),
                Instant.parse("2026-11-23T10:15:30.123456Z"),
                "receipt".getBytes(StandardCharsets.UTF_8),
                Arrays.asList("a", null, "c/d"),
                List.of(new BigDecimal("1.50"), new BigDecimal("-0.01")));
    }

    static Row nulls(long id) {
        Object[] v = new Object[ALL_KINDS.size()];
        v[0] = id;
        return Row.wrap(v);
    }

    static ChangeEvent event(Op op, Row before, Row after, boolean snapshot) {
        return ChangeEvent.builder()
                .schema(ALL_KINDS)
                .op(op)
                .before(before)
                .after(after)
                .commitLsn(0x16B3748L)
                .changeLsn(snapshot ? 0 : 0x16B3700L)
                .txId(1234)
                .commitTimeMicros(1_795_428_930_123_456L)
                .snapshot(snapshot)
                .build();
    }

    static ChangeEvent insert() {
        return event(Op.INSERT, null, row(42, 1, "12345678901234567890.123456789"), false);
    }

    static ChangeEvent update() {
        return event(Op.UPDATE, row(42, 1, "12345678901234567890.123456789"), row(42, 2, "0.000000001"), false);
    }

    static ChangeEvent delete() {
        return event(Op.DELETE, row(42, 2, "0.000000001"), null, false);
    }

    static ChangeEvent snapshot() {
        return event(Op.INSERT, null, row(7, 5, "100.000000000"), true);
    }

    static ChangeEvent truncate() {
        return event(Op.TRUNCATE, null, null, false).toBuilder()
                .changeLsn(0x16B3748L)
                .build();
    }
}
