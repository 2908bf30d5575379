package io.tributary.event;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One row image: values in the order of its {@link TableSchema}'s columns, each of the Java class
 * its {@link ValueKind} names, or null.
 *
 * <p>A raw event from the database may hold {@link #UNCHANGED_TOAST} where PostgreSQL did not send
 * an unchanged TOASTed value; the sequencer replaces it with the last known value, so no event
 * that leaves the sequencer holds it.
 */
public final class Row implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Stands for a TOASTed value the database did not send because it did not change. */
    public static final Object UNCHANGED_TOAST = new UnchangedToast();

    private final Object[] values;

    private Row(Object[] values) {
        this.values = values;
    }

    /** A row holding a copy of {@code values}. */
    public static Row of(Object... values) {
        return new Row(values.clone());
    }

    /** A row that takes ownership of {@code values}: the caller must not change the array after. */
    public static Row wrap(Object[] values) {
        return new Row(values);
    }

    public Object get(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    /** A copy of the values. */
    public Object[] toArray() {
        return values.clone();
    }

    public boolean hasUnchangedToast() {
        for (Object v : values) {
            if (v == UNCHANGED_TOAST) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row && Arrays.deepEquals(values, ((Row) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values);
    }

    /** Compares two values of one kind, treating byte arrays and lists by content. */
    public static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] && b instanceof byte[]) {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        if (a instanceof List && b instanceof List) {
            List<?> x = (List<?>) a;
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!valueEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static final class UnchangedToast implements Serializable {
        private static final long serialVersionUID = 1L;

        private Object readResolve() {
            return UNCHANGED_TOAST;
        }

        @Override
        public String toString() {
            return "<unchanged-toast>";
        }
    }
}
