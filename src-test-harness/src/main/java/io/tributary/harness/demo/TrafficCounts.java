package io.tributary.harness.demo;

import io.tributary.event.Op;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a {@link TrafficGenerator} has committed, per table and op. Changes are added only after
 * their transaction commits, and a whole transaction at once (under this object's lock), so a
 * reader on any thread sees exactly the changes of the transactions committed so far.
 */
public final class TrafficCounts {
    private static final int OPS = Op.values().length;

    private final long[] counts = new long[DemoTable.values().length * OPS];
    private long transactions;

    synchronized void add(long[] pending) {
        for (int i = 0; i < pending.length; i++) {
            counts[i] += pending[i];
        }
        transactions++;
    }

    static int slot(DemoTable table, Op op) {
        return table.ordinal() * OPS + op.ordinal();
    }

    static long[] newPending() {
        return new long[DemoTable.values().length * OPS];
    }

    public synchronized long count(DemoTable table, Op op) {
        return counts[slot(table, op)];
    }

    public long inserts(DemoTable table) {
        return count(table, Op.INSERT);
    }

    public long updates(DemoTable table) {
        return count(table, Op.UPDATE);
    }

    public long deletes(DemoTable table) {
        return count(table, Op.DELETE);
    }

    /** Inserts minus deletes: add it to the seeded count to get the table's expected size. */
    public synchronized long netRows(DemoTable table) {
        return inserts(table) - deletes(table);
    }

    /** Committed changes of one table (each is one I/U/D message in the WAL). */
    public synchronized long changes(DemoTable table) {
        long n = 0;
        for (Op op : Op.values()) {
            n += count(table, op);
        }
        return n;
    }

    /** Committed changes over all tables. */
    public synchronized long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    public synchronized long transactions() {
        return transactions;
    }

    /** A copy, table by op. */
    public synchronized Map<DemoTable, Map<Op, Long>> snapshot() {
        Map<DemoTable, Map<Op, Long>> out = new EnumMap<>(DemoTable.class);
        for (DemoTable t : DemoTable.values()) {
            Map<Op, Long> ops = new EnumMap<>(Op.class);
            for (Op op : Op.values()) {
                ops.put(op, count(t, op));
            }
            out.put(t, ops);
        }
        return out;
    }

    @Override
    public synchronized String toString() {
        return "TrafficCounts" + snapshot() + ", transactions=" + transactions();
    }
}
