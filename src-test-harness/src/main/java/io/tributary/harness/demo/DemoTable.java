package io.tributary.harness.demo;

import io.tributary.event.TableId;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The demo "legacy shop" tables, in {@code public}. Each knows its columns (PostgreSQL type,
 * nullability, a value generator) and its primary key. {@code order_lines} has the composite key
 * {@code (order_id, line_no)}; generators and traffic carry it packed in one long
 * ({@code order_id << 32 | line_no}, see {@link #packKey}).
 *
 * <p>No foreign keys: a legacy database often has none, and cascades would add changes the
 * traffic counters do not see.
 */
public enum DemoTable {
    CUSTOMERS(
            "customers",
            List.of("id"),
            List.of(
                    col("id", "bigint", false, null),
                    col("full_name", "text", false, DemoValues::personName),
                    col("email", "text", true, r -> DemoValues.orNull(r, 10, DemoValues.email(r))),
                    col("created_at", "timestamptz", false, DemoValues::timestamptz),
                    col("birth_date", "date", true, r -> DemoValues.orNull(r, 5, DemoValues.date(r))),
                    col("is_active", "boolean", false, DemoValues::bool),
                    col("loyalty_points", "integer", true, r -> DemoValues.integer(r, 0, 100_000)),
                    col("external_ref", "uuid", false, DemoValues::uuid),
                    col("tags", "text[]", true, DemoValues::textArray),
                    col("profile", "jsonb", true, r -> DemoValues.orNull(r, 4, DemoValues.json(r))))),
    PRODUCTS(
            "products",
            List.of("id"),
            List.of(
                    col("id", "bigint", false, null),
                    col("sku", "text", false, DemoValues::sku),
                    col("name", "text", false, r -> DemoValues.word(r) + " " + DemoValues.word(r)),
                    col("price", "numeric(12,2)", false, DemoValues::money),
                    col("weight_kg", "double precision", true, DemoValues::float8),
                    col("stock", "smallint", false, r -> DemoValues.integer(r, -100, 32_000)),
                    col("attributes", "jsonb", true, DemoValues::json),
                    col("thumbnail", "bytea", true, r -> DemoValues.orNull(r, 5, DemoValues.bytes(r))),
                    col("description", "text", true, DemoValues::largeText),
                    col("updated_at", "timestamp", false, DemoValues::timestamp))),
    ORDERS(
            "orders",
            List.of("id"),
            List.of(
                    col("id", "bigint", false, null),
                    col("customer_id", "bigint", false, r -> DemoValues.bigint(r, 1_000_000)),
                    col("status", "text", false, DemoValues::status),
                    col("total", "numeric(12,2)", false, DemoValues::money),
                    col("exchange_rate", "numeric", true, r -> DemoValues.orNull(r, 6, DemoValues.anyNumeric(r))),
                    col("placed_at", "timestamptz", false, DemoValues::timestamptz),
                    col("placed_local", "timestamp", true, DemoValues::timestamp),
                    col("ship_by", "date", true, r -> DemoValues.orNull(r, 3, DemoValues.date(r))),
                    col("priority", "smallint", true, r -> DemoValues.integer(r, 0, 10)),
                    col("is_gift", "boolean", true, r -> DemoValues.orNull(r, 4, DemoValues.bool(r))),
                    col("line_counts", "integer[]", true, DemoValues::intArray),
                    col("metadata", "jsonb", true, DemoValues::json))),
    ORDER_LINES(
            "order_lines",
            List.of("order_id", "line_no"),
            List.of(
                    col("order_id", "bigint", false, null),
                    col("line_no", "integer", false, null),
                    col("product_id", "bigint", false, r -> DemoValues.bigint(r, 100_000)),
                    col("quantity", "integer", false, r -> DemoValues.integer(r, 1, 50)),
                    col("unit_price", "numeric(12,2)", false, DemoValues::money),
                    col("discount", "numeric", true, r -> DemoValues.orNull(r, 2, DemoValues.anyNumeric(r))),
                    col("tax_rate", "double precision", true, DemoValues::float8),
                    col("note", "text", true, r -> DemoValues.orNull(r, 3, DemoValues.word(r)))));

    /** A column: name, PostgreSQL type, nullability and a generator of text-form values. */
    public record Column(String name, String type, boolean nullable, Function<SplittableRandom, String> gen) {}

    private final String name;
    private final List<String> keyColumns;
    private final List<Column> columns;

    DemoTable(String name, List<String> keyColumns, List<Column> columns) {
        this.name = name;
        this.keyColumns = keyColumns;
        this.columns = columns;
    }

    private static Column col(String name, String type, boolean nullable, Function<SplittableRandom, String> gen) {
        return new Column(name, type, nullable, gen);
    }

    public String tableName() {
        return name;
    }

    public TableId tableId() {
        return new TableId("public", name);
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<Column> nonKeyColumns() {
        List<Column> out = new ArrayList<>();
        for (Column c : columns) {
            if (!keyColumns.contains(c.name())) {
                out.add(c);
            }
        }
        return out;
    }

    public boolean compositeKey() {
        return keyColumns.size() > 1;
    }

    /** Packs {@code (order_id, line_no)}; single-column keys are the id itself. */
    public static long packKey(long orderId, int lineNo) {
        return (orderId << 32) | (lineNo & 0xFFFF_FFFFL);
    }

    /** The key's column values in key order, as text. */
    public String[] keyValues(long packedKey) {
        return compositeKey()
                ? new String[] {Long.toString(packedKey >>> 32), Long.toString(packedKey & 0xFFFF_FFFFL)}
                : new String[] {Long.toString(packedKey)};
    }

    /** A full row in column order, key columns from {@code packedKey}, the rest generated. */
    public String[] newRow(long packedKey, SplittableRandom r) {
        String[] key = keyValues(packedKey);
        String[] row = new String[columns.size()];
        int k = 0;
        for (int i = 0; i < row.length; i++) {
            Column c = columns.get(i);
            row[i] = c.gen() == null ? key[k++] : c.gen().apply(r);
        }
        return row;
    }

    /** SQL of the table's packed key, e.g. {@code id} or {@code (order_id << 32) | line_no}. */
    String packedKeySql() {
        return compositeKey() ? "((order_id << 32) | line_no::bigint)" : "id";
    }

    /** CREATE TABLE, REPLICA IDENTITY DEFAULT (old image = key only), and the TOAST storage. */
    List<String> ddl() {
        StringBuilder sb =
                new StringBuilder("CREATE TABLE public.").append(name).append(" (");
        for (Column c : columns) {
            sb.append(c.name())
                    .append(' ')
                    .append(c.type())
                    .append(c.nullable() ? "" : " NOT NULL")
                    .append(", ");
        }
        sb.append("PRIMARY KEY (").append(String.join(", ", keyColumns)).append("))");
        List<String> out =
                new ArrayList<>(List.of(sb.toString(), "ALTER TABLE public." + name + " REPLICA IDENTITY DEFAULT"));
        if (this == PRODUCTS) {
            // EXTERNAL = out of line and uncompressed, so the value really lives in the TOAST table.
            out.add("ALTER TABLE public.products ALTER COLUMN description SET STORAGE EXTERNAL");
        }
        return out;
    }
}
