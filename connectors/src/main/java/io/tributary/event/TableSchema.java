package io.tributary.event;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of a captured table at one point in its history: ordered columns and key columns.
 *
 * <p>The {@link #fingerprint()} changes whenever a column is added, dropped, renamed or retyped;
 * the event log starts a new Parquet file for each fingerprint.
 */
public final class TableSchema implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TableId table;
    private final List<Column> columns;
    private final List<String> keyColumns;
    private final long fingerprint;
    private transient Map<String, Integer> index;
    private transient int[] keyIndexes;

    public TableSchema(TableId table, List<Column> columns, List<String> keyColumns) {
        this.table = Objects.requireNonNull(table, "table");
        this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
        this.keyColumns = Collections.unmodifiableList(new ArrayList<>(keyColumns));
        for (String key : keyColumns) {
            if (indexMap().get(key) == null) {
                throw new IllegalArgumentException("key column " + key + " is not a column of " + table);
            }
        }
        this.fingerprint = computeFingerprint();
    }

    public TableId table() {
        return table;
    }

    public List<Column> columns() {
        return columns;
    }

    public Column column(int i) {
        return columns.get(i);
    }

    public int size() {
        return columns.size();
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /** Position of the named column, or -1. */
    public int indexOf(String column) {
        Integer i = indexMap().get(column);
        return i == null ? -1 : i;
    }

    /** Positions of the key columns, in key order. */
    public int[] keyIndexes() {
        if (keyIndexes == null) {
            int[] k = new int[keyColumns.size()];
            for (int i = 0; i < k.length; i++) {
                k[i] = indexOf(keyColumns.get(i));
            }
            keyIndexes = k;
        }
        return keyIndexes;
    }

    /** A 64-bit FNV-1a hash of table, column names, types, nullability and key columns. */
    public long fingerprint() {
        return fingerprint;
    }

    private Map<String, Integer> indexMap() {
        if (index == null) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i).name(), i);
            }
            index = m;
        }
        return index;
    }

    private long computeFingerprint() {
        StringBuilder s = new StringBuilder(table.toString());
        for (Column c : columns) {
            s.append('|')
                    .append(c.name())
                    .append(':')
                    .append(describe(c.type()))
                    .append(c.nullable() ? '?' : '!');
        }
        s.append("|key=").append(String.join(",", keyColumns));
        long h = 0xcbf29ce484222325L;
        for (byte b : s.toString().getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static String describe(ColumnType t) {
        return t.sourceType() + "/" + t + (t.element() == null ? "" : "/" + describe(t.element()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSchema
                && fingerprint == ((TableSchema) o).fingerprint
                && table.equals(((TableSchema) o).table)
                && columns.equals(((TableSchema) o).columns)
                && keyColumns.equals(((TableSchema) o).keyColumns);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fingerprint);
    }

    @Override
    public String toString() {
        return table + columns.toString() + " key " + keyColumns;
    }
}
