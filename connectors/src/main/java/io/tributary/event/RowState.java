package io.tributary.event;

import java.util.Objects;

/**
 * What the sequencer remembers of one row: the position of the last change it let through, the
 * schema of that change, and the row image after it (null once the row is deleted), where
 * {@link Row#UNCHANGED_TOAST} marks a column whose value is not known.
 */
public final class RowState {
    private final long commitLsn;
    private final long changeLsn;
    private final TableSchema schema;
    private final Row image;

    public RowState(long commitLsn, long changeLsn, TableSchema schema, Row image) {
        this.commitLsn = commitLsn;
        this.changeLsn = changeLsn;
        this.schema = Objects.requireNonNull(schema, "schema");
        this.image = image;
    }

    /**
     * The state after {@code event} was let through. Columns the event lists as unknown are kept as
     * {@link Row#UNCHANGED_TOAST}, so a later change that does not send them leaves them unknown too.
     */
    public static RowState after(ChangeEvent event) {
        Row image = event.after();
        if (event.unknownColumnCount() > 0) {
            Object[] values = image.toArray();
            for (int n = 0; n < event.unknownColumnCount(); n++) {
                values[event.unknownColumnIndex(n)] = Row.UNCHANGED_TOAST;
            }
            image = Row.wrap(values);
        }
        return new RowState(event.commitLsn(), event.changeLsn(), event.schema(), image);
    }

    public long commitLsn() {
        return commitLsn;
    }

    public long changeLsn() {
        return changeLsn;
    }

    public TableSchema schema() {
        return schema;
    }

    /** The row as of the last change; null if that change deleted it. */
    public Row image() {
        return image;
    }

    /** The image laid out in {@code target}'s columns, matched by name; new columns are null. */
    public Row imageIn(TableSchema target) {
        if (image == null || target.fingerprint() == schema.fingerprint()) {
            return image;
        }
        Object[] values = new Object[target.size()];
        for (int i = 0; i < values.length; i++) {
            int from = schema.indexOf(target.column(i).name());
            values[i] = from < 0 ? null : image.get(from);
        }
        return Row.wrap(values);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RowState)) {
            return false;
        }
        RowState s = (RowState) o;
        return commitLsn == s.commitLsn
                && changeLsn == s.changeLsn
                && schema.equals(s.schema)
                && Objects.equals(image, s.image);
    }

    @Override
    public int hashCode() {
        return Objects.hash(commitLsn, changeLsn, image);
    }

    @Override
    public String toString() {
        return "RowState@" + ChangeEvent.formatLsn(commitLsn) + "/" + ChangeEvent.formatLsn(changeLsn) + " " + image;
    }
}
