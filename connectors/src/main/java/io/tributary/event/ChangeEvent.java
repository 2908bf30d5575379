package io.tributary.event;

import io.tributary.event.serde.ChangeEventTypeInfo;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One committed change to one row, typed and immutable.
 *
 * <p>An event's position is {@code (commitLsn, changeLsn)} from the WAL; snapshot rows carry the
 * LSN their snapshot split was read at and change LSN 0, so they sort before any streamed change
 * of the same row. {@link #eventId()} is derived from the position and the key only, so the same
 * change always has the same id.
 *
 * <p>A {@link Op#TRUNCATE} has neither image and no key: its routing key is the table alone.
 * {@link #unknownColumns()} lists the columns of the new image whose value is not known: an
 * unchanged TOASTed value the database did not send and no earlier image held. Their slot in the
 * new image is null, which there means "unknown", not SQL NULL.
 *
 * <p>A TRUNCATE is fanned out into one copy per sequencer subtask so it reaches every row of its
 * table in order (see {@code TruncateFanOut} in the job): {@link #truncateCopy()} numbers the copy,
 * {@link #sequencerKey()} is the key that sends it to its subtask. Copies keep the event id; the
 * event log and the stream write copy 0 only ({@link #isPrimaryCopy()}).
 */
@TypeInfo(ChangeEventTypeInfo.Factory.class)
public final class ChangeEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TableSchema schema;
    private final Op op;
    private final Row before;
    private final Row after;
    private final long commitLsn;
    private final long changeLsn;
    private final long txId;
    private final long commitTimeMicros;
    private final boolean snapshot;
    /** Indexes of the new image's unknown columns, ascending; empty for almost every event. */
    private final int[] unknownColumns;
    /** TRUNCATE fan-out: this copy's index, the number of copies, and the key that routes it; 0, 1, null otherwise. */
    private final int copy;

    private final int copies;
    private final String copyKey;
    /** Derived, computed on first use: keyBy, the event id and the sinks all ask for them. */
    private transient String routingKey;

    private transient String eventId;

    private ChangeEvent(Builder b) {
        this.schema = Objects.requireNonNull(b.schema, "schema");
        this.op = Objects.requireNonNull(b.op, "op");
        this.before = b.before;
        this.after = b.after;
        this.commitLsn = b.commitLsn;
        this.changeLsn = b.changeLsn;
        this.txId = b.txId;
        this.commitTimeMicros = b.commitTimeMicros;
        this.snapshot = b.snapshot;
        this.unknownColumns = b.unknownColumns == null ? NO_COLUMNS : b.unknownColumns.clone();
        this.copy = b.copy;
        this.copies = b.copies;
        this.copyKey = b.copyKey;
        if (copyKey != null && op != Op.TRUNCATE) {
            throw new IllegalArgumentException("only a TRUNCATE is fanned out into copies, not " + op);
        }
        if (copies < 1 || copy < 0 || copy >= copies) {
            throw new IllegalArgumentException("copy " + copy + " of " + copies + " is not a valid fan-out copy");
        }
        if (op == Op.TRUNCATE) {
            if (before != null || after != null) {
                throw new IllegalArgumentException("TRUNCATE of " + schema.table() + " carries no row images");
            }
        } else if (op != Op.DELETE && after == null) {
            throw new IllegalArgumentException(op + " on " + schema.table() + " needs a new row image");
        }
        if (op == Op.DELETE && before == null) {
            throw new IllegalArgumentException("DELETE on " + schema.table() + " needs at least the old key");
        }
        checkWidth(before);
        checkWidth(after);
        for (int i = 0; i < unknownColumns.length; i++) {
            if (after == null
                    || unknownColumns[i] < 0
                    || unknownColumns[i] >= schema.size()
                    || (i > 0 && unknownColumns[i] <= unknownColumns[i - 1])) {
                throw new IllegalArgumentException("unknown columns " + Arrays.toString(unknownColumns)
                        + " must be ascending indexes into the new image of " + schema);
            }
        }
    }

    private static final int[] NO_COLUMNS = new int[0];

    private void checkWidth(Row row) {
        if (row != null && row.size() != schema.size()) {
            throw new IllegalArgumentException("row of " + row.size() + " values for " + schema);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's fields, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder()
                .schema(schema)
                .op(op)
                .before(before)
                .after(after)
                .commitLsn(commitLsn)
                .changeLsn(changeLsn)
                .txId(txId)
                .commitTimeMicros(commitTimeMicros)
                .snapshot(snapshot)
                .unknownColumns(unknownColumns)
                .truncateCopy(copy, copies, copyKey);
    }

    public TableSchema schema() {
        return schema;
    }

    public TableId table() {
        return schema.table();
    }

    public Op op() {
        return op;
    }

    /** The old row image; null for INSERT. Before the sequencer it may hold only key columns. */
    public Row before() {
        return before;
    }

    /** The new row image; null for DELETE. */
    public Row after() {
        return after;
    }

    /** The image that carries the key: the new one, or the old one for DELETE; null for TRUNCATE. */
    public Row keyImage() {
        return after != null ? after : before;
    }

    /** True for a TRUNCATE: an event about the whole table, without images or key. */
    public boolean isTruncate() {
        return op == Op.TRUNCATE;
    }

    /** Indexes (ascending) of the new image's columns whose values are unknown; empty almost always. */
    public int[] unknownColumnIndexes() {
        return unknownColumns.clone();
    }

    /** How many columns of the new image are unknown; 0 almost always (no copy, for the per-event paths). */
    public int unknownColumnCount() {
        return unknownColumns.length;
    }

    /** The index of the {@code n}-th unknown column, {@code n < unknownColumnCount()}. */
    public int unknownColumnIndex(int n) {
        return unknownColumns[n];
    }

    /** True if column {@code i} of the new image is unknown (its null there means "not known"). */
    public boolean isUnknown(int i) {
        for (int u : unknownColumns) {
            if (u == i) {
                return true;
            }
        }
        return false;
    }

    /** Names of the new image's unknown columns, in column order; empty almost always. */
    public List<String> unknownColumns() {
        if (unknownColumns.length == 0) {
            return Collections.emptyList();
        }
        List<String> names = new ArrayList<>(unknownColumns.length);
        for (int i : unknownColumns) {
            names.add(schema.column(i).name());
        }
        return Collections.unmodifiableList(names);
    }

    /** Which copy of a fanned-out TRUNCATE this is; 0 for every other event. */
    public int truncateCopy() {
        return copy;
    }

    /** How many copies the TRUNCATE was fanned out into (one per sequencer subtask); 1 for every other event. */
    public int truncateCopies() {
        return copies;
    }

    /** True unless this is a copy other than the first of a fanned-out TRUNCATE: the event log and the stream write these. */
    public boolean isPrimaryCopy() {
        return copy == 0;
    }

    /**
     * The key the sequencer is keyed by: {@link #routingKey()}, except for a fanned-out TRUNCATE copy, whose key
     * hashes to the sequencer subtask the copy is for.
     */
    public String sequencerKey() {
        return copyKey != null ? copyKey : routingKey();
    }

    public long commitLsn() {
        return commitLsn;
    }

    public long changeLsn() {
        return changeLsn;
    }

    public long txId() {
        return txId;
    }

    /** Commit time in microseconds since the epoch, UTC. */
    public long commitTimeMicros() {
        return commitTimeMicros;
    }

    public boolean snapshot() {
        return snapshot;
    }

    /** The key values, in key column order; empty for TRUNCATE. */
    public List<Object> key() {
        int[] idx = schema.keyIndexes();
        Row image = keyImage();
        if (image == null) {
            return Collections.emptyList();
        }
        List<Object> key = new ArrayList<>(idx.length);
        for (int i : idx) {
            key.add(image.get(i));
        }
        return Collections.unmodifiableList(key);
    }

    /**
     * {@code schema.table/k1/k2}: the row's identity, used to key the stream and to partition;
     * {@code schema.table} alone for TRUNCATE.
     */
    public String routingKey() {
        String key = routingKey;
        if (key == null) {
            key = buildRoutingKey();
            routingKey = key;
        }
        return key;
    }

    private String buildRoutingKey() {
        StringBuilder s = new StringBuilder(schema.table().toString());
        Row image = keyImage();
        if (image == null) {
            return s.toString();
        }
        for (int i : schema.keyIndexes()) {
            s.append('/');
            appendEscaped(s, canonicalText(image.get(i)));
        }
        return s.toString();
    }

    /** True if this event's position is after {@code (otherCommitLsn, otherChangeLsn)}. */
    public boolean isAfter(long otherCommitLsn, long otherChangeLsn) {
        int c = Long.compareUnsigned(commitLsn, otherCommitLsn);
        return c > 0 || (c == 0 && Long.compareUnsigned(changeLsn, otherChangeLsn) > 0);
    }

    /** {@code <commitLsn>-<changeLsn>-<keyhash>} in hex: the same change always has the same id. */
    public String eventId() {
        String id = eventId;
        if (id == null) {
            id = buildEventId();
            eventId = id;
        }
        return id;
    }

    private String buildEventId() {
        char[] id = new char[50];
        hex(commitLsn, id, 0);
        id[16] = '-';
        hex(changeLsn, id, 17);
        id[33] = '-';
        hex(fnv64(routingKey()), id, 34);
        return new String(id);
    }

    private static void hex(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (v & 0xf), 16);
            v >>>= 4;
        }
    }

    /** A value's stable text form: plain decimals, ISO-8601 times, base64 bytes. */
    public static String canonicalText(Object v) {
        if (v == null) {
            return "\u2400";
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) v);
        }
        return v.toString();
    }

    private static void appendEscaped(StringBuilder s, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/' || c == '\\') {
                s.append('\\');
            }
            s.append(c);
        }
    }

    private static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Formats an LSN the way PostgreSQL prints it, {@code 16/B374D848}. */
    public static String formatLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/"
                + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChangeEvent)) {
            return false;
        }
        ChangeEvent e = (ChangeEvent) o;
        return op == e.op
                && commitLsn == e.commitLsn
                && changeLsn == e.changeLsn
                && txId == e.txId
                && commitTimeMicros == e.commitTimeMicros
                && snapshot == e.snapshot
                && schema.equals(e.schema)
                && Objects.equals(before, e.before)
                && Objects.equals(after, e.after)
                && Arrays.equals(unknownColumns, e.unknownColumns)
                && copy == e.copy
                && copies == e.copies
                && Objects.equals(copyKey, e.copyKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema.table(), op, commitLsn, changeLsn);
    }

    @Override
    public String toString() {
        return op + (snapshot ? "(snapshot) " : " ") + routingKey() + " @" + formatLsn(commitLsn) + "/"
                + formatLsn(changeLsn) + " tx " + txId + " before=" + before + " after=" + after
                + (unknownColumns.length == 0 ? "" : " unknown=" + unknownColumns())
                + (copies == 1 ? "" : " copy " + copy + "/" + copies);
    }

    /** Builds a {@link ChangeEvent}; schema, op and the images its op needs are required. */
    public static final class Builder {
        private TableSchema schema;
        private Op op;
        private Row before;
        private Row after;
        private long commitLsn;
        private long changeLsn;
        private long txId;
        private long commitTimeMicros;
        private boolean snapshot;
        private int[] unknownColumns;
        private int copy;
        private int copies = 1;
        private String copyKey;

        public Builder schema(TableSchema schema) {
            this.schema = schema;
            return this;
        }

        public Builder op(Op op) {
            this.op = op;
            return this;
        }

        public Builder before(Row before) {
            this.before = before;
            return this;
        }

        public Builder after(Row after) {
            this.after = after;
            return this;
        }

        public Builder commitLsn(long commitLsn) {
            this.commitLsn = commitLsn;
            return this;
        }

        public Builder changeLsn(long changeLsn) {
            this.changeLsn = changeLsn;
            return this;
        }

        public Builder txId(long txId) {
            this.txId = txId;
            return this;
        }

        public Builder commitTimeMicros(long commitTimeMicros) {
            this.commitTimeMicros = commitTimeMicros;
            return this;
        }

        public Builder snapshot(boolean snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /** Ascending indexes of the new image's unknown columns (see {@link ChangeEvent#unknownColumns()}). */
        public Builder unknownColumns(int... unknownColumns) {
            this.unknownColumns = unknownColumns;
            return this;
        }

        /**
         * Makes this TRUNCATE copy {@code copy} of {@code copies}, routed to its sequencer subtask by {@code key};
         * {@code (0, 1, null)} for an event that is not a copy.
         */
        public Builder truncateCopy(int copy, int copies, String key) {
            this.copy = copy;
            this.copies = copies;
            this.copyKey = key;
            return this;
        }

        public ChangeEvent build() {
            return new ChangeEvent(this);
        }
    }
}
