package io.tributary.event;

import java.util.Arrays;
import java.util.List;

/** Schemas and events for unit tests. */
public final class TestTables {
    private TestTables() {}

    /** public.widgets(id int4 key, qty int4, name text, doc text (TOASTable)). */
    public static final TableSchema WIDGETS = new TableSchema(
            new TableId("public", "widgets"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("qty", ColumnType.of(ValueKind.INT32, "int4"), true),
                    new Column("name", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("doc", ColumnType.of(ValueKind.STRING, "text"), true)),
            List.of("id"));

    /** WIDGETS after {@code ALTER TABLE ADD COLUMN price numeric(10,2)}. */
    public static final TableSchema WIDGETS_V2 = new TableSchema(
            WIDGETS.table(),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("qty", ColumnType.of(ValueKind.INT32, "int4"), true),
                    new Column("name", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("doc", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("price", ColumnType.decimal(10, 2, "numeric"), true)),
            List.of("id"));

    public static ChangeEvent insert(TableSchema schema, long lsn, Object... values) {
        return event(schema, Op.INSERT, lsn, null, Row.of(values));
    }

    public static ChangeEvent update(TableSchema schema, long lsn, Row before, Object... values) {
        return event(schema, Op.UPDATE, lsn, before, Row.of(values));
    }

    public static ChangeEvent delete(TableSchema schema, long lsn, Row before) {
        return event(schema, Op.DELETE, lsn, before, null);
    }

    /** A row with only the key columns set, as PostgreSQL sends the old row with REPLICA IDENTITY DEFAULT. */
    public static Row keyOnly(TableSchema schema, Object... key) {
        Object[] values = new Object[schema.size()];
        int[] idx = schema.keyIndexes();
        for (int i = 0; i < idx.length; i++) {
            values[idx[i]] = key[i];
        }
        return Row.wrap(values);
    }

    /** An event committed at {@code lsn + 100} whose change is at {@code lsn}. */
    public static ChangeEvent event(TableSchema schema, Op op, long lsn, Row before, Row after) {
        return ChangeEvent.builder()
                .schema(schema)
                .op(op)
                .before(before)
                .after(after)
                .commitLsn(lsn + 100)
                .changeLsn(lsn)
                .txId(lsn / 10)
                .commitTimeMicros(1_795_000_000_000_000L + lsn)
                .build();
    }

    public static Object[] values(Object... v) {
        return Arrays.copyOf(v, v.length);
    }
}
