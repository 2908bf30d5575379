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
    private long savepointRollbacks;
    /** Per table: inserts minus deletes since its last TRUNCATE (meaningful once {@link #truncatedOnce}). */
    private final long[] netSinceTruncate = new long[DemoTable.values().length];

    private final boolean[] truncatedOnce = new boolean[DemoTable.values().length];

    synchronized void add(long[] pending) {
        for (int i = 0; i < pending.length; i++) {
            counts[i] += pending[i];
        }
        for (DemoTable t : DemoTable.values()) {
            if (pending[slot(t, Op.TRUNCATE)] > 0) {
                // A TRUNCATE is a transaction of its own, so nothing else of this one counts after it.
                truncatedOnce[t.ordinal()] = true;
                netSinceTruncate[t.ordinal()] = 0;
            } else {
                netSinceTruncate[t.ordinal()] += pending[slot(t, Op.INSERT)] - pending[slot(t, Op.DELETE)];
            }
        }
        transactions++;
    }

    synchronized void savepointRolledBack() {
        savepointRollbacks++;
    }

    /** Changes made and then rolled back to a savepoint inside a committed transaction (not in the counts). */
    public synchronized long savepointRollbacks() {
        return savepointRollbacks;
    }

    public long truncates(DemoTable table) {
        return count(table, Op.TRUNCATE);
    }

    /**
     * The rows {@code table} holds now, given it was seeded with {@code seeded}: the net inserts
     * since its last TRUNCATE, or all of them plus the seed if it was never truncated.
     */
    public synchronized long expectedRows(DemoTable table, long seeded) {
        return truncatedOnce[table.ordinal()] ? netSinceTruncate[table.ordinal()] : seeded + netRows(table);
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

    /** Inserts minus deletes; with TRUNCATEs, {@link #expectedRows} gives the table's size. */
    public synchronized long netRows(DemoTable table) {
        return inserts(table) - deletes(table);
    }

    /** Committed changes of one table (each is one I/U/D/T event: a TRUNCATE counts once). */
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
