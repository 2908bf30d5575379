package io.tributary.postgres;

import io.tributary.event.TableId;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** A table the source captures, with the key columns its events are keyed by, as the preflight found it. */
public final class PostgresCapturedTable implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TableId table;
    private final List<String> keyColumns;
    private final boolean primaryKey;
    private final List<String> columns;
    private final List<String> textArrays;

    public PostgresCapturedTable(TableId table, List<String> keyColumns, boolean primaryKey, List<String> columns) {
        this(table, keyColumns, primaryKey, columns, List.of());
    }

    /** @param textArrays the array columns declared with more than one dimension, carried as text */
    public PostgresCapturedTable(
            TableId table, List<String> keyColumns, boolean primaryKey, List<String> columns, List<String> textArrays) {
        this.table = Objects.requireNonNull(table, "table");
        this.keyColumns = List.copyOf(keyColumns);
        this.primaryKey = primaryKey;
        this.columns = List.copyOf(columns);
        this.textArrays = List.copyOf(textArrays);
    }

    /** The same table with {@code textArrays} as its multi-dimensional array columns. */
    public PostgresCapturedTable withTextArrays(List<String> textArrays) {
        return new PostgresCapturedTable(table, keyColumns, primaryKey, columns, textArrays);
    }

    public TableId table() {
        return table;
    }

    /** The primary key columns, or the configured key columns for a table without one. */
    public List<String> keyColumns() {
        return keyColumns;
    }

    /** True if the key is the table's primary key, false if it comes from the configuration. */
    public boolean hasPrimaryKey() {
        return primaryKey;
    }

    /** All columns, in ordinal order. */
    public List<String> columns() {
        return columns;
    }

    /**
     * The array columns declared with more than one dimension ({@code int[][]}), which the source carries as
     * PostgreSQL's array text (see {@link PostgresTextValueConverter}).
     */
    public List<String> textArrays() {
        return textArrays;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostgresCapturedTable
                && table.equals(((PostgresCapturedTable) o).table)
                && keyColumns.equals(((PostgresCapturedTable) o).keyColumns)
                && primaryKey == ((PostgresCapturedTable) o).primaryKey
                && columns.equals(((PostgresCapturedTable) o).columns)
                && textArrays.equals(((PostgresCapturedTable) o).textArrays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, keyColumns);
    }

    @Override
    public String toString() {
        return table + " key " + keyColumns + (primaryKey ? " (primary key)" : " (configured)");
    }
}
