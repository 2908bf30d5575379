package io.tributary.event;

import java.io.Serializable;
import java.util.Objects;

/** One column of a captured table. */
public final class Column implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final ColumnType type;
    private final boolean nullable;

    public Column(String name, ColumnType type, boolean nullable) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.nullable = nullable;
    }

    public String name() {
        return name;
    }

    public ColumnType type() {
        return type;
    }

    public boolean nullable() {
        return nullable;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Column
                && name.equals(((Column) o).name)
                && type.equals(((Column) o).type)
                && nullable == ((Column) o).nullable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, nullable);
    }

    @Override
    public String toString() {
        return name + " " + type + (nullable ? "" : " NOT NULL");
    }
}
