package io.tributary.harness.adversarial;

import io.tributary.event.Op;
import io.tributary.event.TableId;

import java.util.List;

/**
 * What two records of one change must agree on, whatever wrote them: the table, the row's key
 * (PostgreSQL's text form of each key column; empty for TRUNCATE), the op and the transaction id.
 * {@code where} says where this record of it was found (decoded change number, log event id,
 * Kinesis shard and sequence number) and takes no part in equality.
 */
public record ChangeFact(TableId table, List<String> key, Op op, long txId, String where) {
    public ChangeFact {
        key = List.copyOf(key);
    }

    /** The fact without its location: what a multiset of changes counts. */
    public Identity identity() {
        return new Identity(table, key, op, txId);
    }

    /** The row the change belongs to: table and key (a TRUNCATE is its table's own row). */
    public Row row() {
        return new Row(table, key);
    }

    /** A change without its location. */
    public record Identity(TableId table, List<String> key, Op op, long txId) {
        @Override
        public String toString() {
            return table + " " + key + " " + op + " tx " + txId;
        }
    }

    /** A row: table and key. */
    public record Row(TableId table, List<String> key) {
        @Override
        public String toString() {
            return table + " " + key;
        }
    }

    @Override
    public String toString() {
        return identity() + " (" + where + ")";
    }
}
