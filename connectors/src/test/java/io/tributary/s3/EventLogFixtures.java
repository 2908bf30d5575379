package io.tributary.s3;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Schemas and events shared by the event log tests. */
final class EventLogFixtures {
    static final TableId ALL_TYPES_TABLE = new TableId("public", "all_types");

    private EventLogFixtures() {}

    /** One column of every value kind, plus one named like an envelope column. */
    static TableSchema allTypes() {
        return new TableSchema(
                ALL_TYPES_TABLE,
                Arrays.asList(
                        new Column("id", ColumnType.of(ValueKind.INT64, "int8"), false),
                        new Column("flag", ColumnType.of(ValueKind.BOOLEAN, "bool"), true),
                        new Column("small", ColumnType.of(ValueKind.INT16, "int2"), true),
                        new Column("num", ColumnType.of(ValueKind.INT32, "int4"), true),
                        new Column("real_v", ColumnType.of(ValueKind.FLOAT32, "float4"), true),
                        new Column("double_v", ColumnType.of(ValueKind.FLOAT64, "float8"), true),
                        new Column("price", ColumnType.decimal(12, 3, "numeric"), true),
                        new Column("huge", ColumnType.decimal(50, 5, "numeric"), true),
                        new Column("name", ColumnType.of(ValueKind.STRING, "text"), true),
                        new Column("uid", ColumnType.of(ValueKind.UUID, "uuid"), true),
                        new Column("doc", ColumnType.of(ValueKind.JSON, "jsonb"), true),
                        new Column("day", ColumnType.of(ValueKind.DATE, "date"), true),
                        new Column("clock", ColumnType.of(ValueKind.TIME, "time"), true),
                        new Column("local_ts", ColumnType.of(ValueKind.TIMESTAMP, "timestamp"), true),
                        new Column("zoned_ts", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true),
                        new Column("blob", ColumnType.of(ValueKind.BYTES, "bytea"), true),
                        new Column("tags", ColumnType.arrayOf(ColumnType.of(ValueKind.STRING, "text"), "_text"), true),
                        new Column(
                                "amounts", ColumnType.arrayOf(ColumnType.decimal(5, 2, "numeric"), "_numeric"), true),
                        new Column("op", ColumnType.of(ValueKind.STRING, "text"), true)),
                List.of("id"));
    }

    /** A two-column table {@code schema.table(id int4 key, name text)}. */
    static TableSchema simple(String schema, String table) {
        return new TableSchema(
                new TableId(schema, table),
                Arrays.asList(
                        new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                        new Column("name", ColumnType.of(ValueKind.STRING, "text"), true)),
                List.of("id"));
    }

    /** {@link #simple} with an added {@code qty int8} column. */
    static TableSchema simpleWithQty(String schema, String table) {
        return new TableSchema(
                new TableId(schema, table),
                Arrays.asList(
                        new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                        new Column("name", ColumnType.of(ValueKind.STRING, "text"), true),
                        new Column("qty", ColumnType.of(ValueKind.INT64, "int8"), true)),
                List.of("id"));
    }

    static long micros(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000L;
    }

    static ChangeEvent event(
            TableSchema schema, Op op, Row before, Row after, long lsn, long changeLsn, String commitTime) {
        return ChangeEvent.builder()
                .schema(schema)
                .op(op)
                .before(before)
                .after(after)
                .commitLsn(lsn)
                .changeLsn(changeLsn)
                .txId(lsn / 10)
                .commitTimeMicros(micros(commitTime))
                .build();
    }
}
