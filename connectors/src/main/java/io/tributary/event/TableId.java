package io.tributary.event;

import java.io.Serializable;
import java.util.Objects;

/** A captured table, named {@code schema.table} as PostgreSQL and the event log name it. */
public final class TableId implements Serializable, Comparable<TableId> {
    private static final long serialVersionUID = 1L;

    private final String schema;
    private final String table;

    public TableId(String schema, String table) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Parses {@code schema.table}; a name without a dot is taken to be in {@code public}. */
    public static TableId parse(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0
                ? new TableId("public", qualified)
                : new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    @Override
    public int compareTo(TableId o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableId && schema.equals(((TableId) o).schema) && table.equals(((TableId) o).table);
    }

    @Override
    public int hashCode() {
        return 31 * schema.hashCode() + table.hashCode();
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
