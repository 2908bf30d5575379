package io.tributary.harness.adversarial;

import io.tributary.event.Op;
import io.tributary.event.TableId;

import java.util.ArrayList;
import java.util.List;

/**
 * One change as PostgreSQL's {@code test_decoding} plugin printed it: the transaction, the table,
 * the op, the old key (DELETE, and UPDATE of a key column) and the new tuple (INSERT, UPDATE), each
 * value in PostgreSQL's text output form. A TRUNCATE of several tables is one change per table.
 *
 * @param xid the transaction id ({@code BEGIN <xid>})
 * @param lsn the change's WAL position as the slot function returned it
 * @param ordinal the change's place in the decoded stream, from 0 (commit order, then change order)
 * @param oldKey DELETE: the printed old key (REPLICA IDENTITY DEFAULT: the key columns); UPDATE: the
 *     old key if a key column changed, else empty
 * @param newTuple INSERT and UPDATE: every column; empty for DELETE and TRUNCATE
 */
public record DecodedChange(
        long xid, String lsn, int ordinal, TableId table, Op op, List<Value> oldKey, List<Value> newTuple) {

    /**
     * One printed column: name, type as {@code format_type} spells it, the text ({@code null} for
     * SQL NULL and for an unchanged TOASTed value, which {@link #unchangedToast} marks).
     */
    public record Value(String column, String type, String text, boolean unchangedToast) {
        @Override
        public String toString() {
            return column + "=" + (unchangedToast ? "<unchanged toast>" : text == null ? "NULL" : abbreviate(text));
        }
    }

    public DecodedChange {
        oldKey = List.copyOf(oldKey);
        newTuple = List.copyOf(newTuple);
    }

    /**
     * The row's key after this change: from the new tuple for INSERT and UPDATE, from the old key
     * for DELETE; empty for TRUNCATE.
     */
    public List<String> key(List<String> keyColumns) {
        if (op == Op.TRUNCATE) {
            return List.of();
        }
        return values(op == Op.DELETE ? oldKey : newTuple, keyColumns);
    }

    /** The key before an UPDATE that changed it, else {@link #key}. */
    public List<String> keyBefore(List<String> keyColumns) {
        return op == Op.UPDATE && !oldKey.isEmpty() ? values(oldKey, keyColumns) : key(keyColumns);
    }

    /** The text of column {@code name} in the new tuple; fails if the tuple has no such column. */
    public Value newValue(String name) {
        for (Value v : newTuple) {
            if (v.column().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("decoded " + this + " has no column " + name);
    }

    private List<String> values(List<Value> tuple, List<String> columns) {
        List<String> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            Value found = null;
            for (Value v : tuple) {
                if (v.column().equals(c)) {
                    found = v;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("key column " + c + " not printed in decoded " + this);
            }
            out.add(found.text());
        }
        return out;
    }

    @Override
    public String toString() {
        return "#" + ordinal + " tx " + xid + " at " + lsn + " " + op + " " + table
                + (oldKey.isEmpty() ? "" : " old-key " + oldKey) + (newTuple.isEmpty() ? "" : " new " + newTuple);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "…(" + s.length() + " chars)";
    }
}
