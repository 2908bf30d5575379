package io.tributary.event;

import java.io.Serializable;
import java.util.Objects;

/** A column's type: its logical kind, decimal precision and scale, array element, source type name. */
public final class ColumnType implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ValueKind kind;
    private final int precision;
    private final int scale;
    private final ColumnType element;
    private final String sourceType;

    private ColumnType(ValueKind kind, int precision, int scale, ColumnType element, String sourceType) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.precision = precision;
        this.scale = scale;
        this.element = element;
        this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
        if (kind == ValueKind.ARRAY && element == null) {
            throw new IllegalArgumentException("an array type needs an element type");
        }
        if (kind == ValueKind.DECIMAL && (precision < 1 || scale < 0 || scale > precision)) {
            throw new IllegalArgumentException(
                    "decimal needs 1 <= precision and 0 <= scale <= precision, got (" + precision + "," + scale + ")");
        }
    }

    /** A scalar type other than decimal; {@code sourceType} is the PostgreSQL type name (int4, text, …). */
    public static ColumnType of(ValueKind kind, String sourceType) {
        return new ColumnType(kind, 0, 0, null, sourceType);
    }

    public static ColumnType decimal(int precision, int scale, String sourceType) {
        return new ColumnType(ValueKind.DECIMAL, precision, scale, null, sourceType);
    }

    public static ColumnType arrayOf(ColumnType element, String sourceType) {
        return new ColumnType(ValueKind.ARRAY, 0, 0, element, sourceType);
    }

    public ValueKind kind() {
        return kind;
    }

    public int precision() {
        return precision;
    }

    public int scale() {
        return scale;
    }

    /** The element type of an array; null otherwise. */
    public ColumnType element() {
        return element;
    }

    public String sourceType() {
        return sourceType;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ColumnType)) {
            return false;
        }
        ColumnType t = (ColumnType) o;
        return kind == t.kind
                && precision == t.precision
                && scale == t.scale
                && Objects.equals(element, t.element)
                && sourceType.equals(t.sourceType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, precision, scale, element, sourceType);
    }

    @Override
    public String toString() {
        switch (kind) {
            case DECIMAL:
                return "DECIMAL(" + precision + "," + scale + ")";
            case ARRAY:
                return "ARRAY<" + element + ">";
            default:
                return kind.name();
        }
    }
}
