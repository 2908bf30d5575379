package io.tributary.harness.demo;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The keys of one table that the traffic generator believes exist, with O(1) add, remove and
 * random pick (array plus index, remove swaps in the last key), a few recently deleted keys to
 * re-insert, and fresh keys above everything seen. Single-threaded: owned by the generator thread.
 */
final class DemoKeySet {
    private static final int RECENT_DELETES = 1_000;

    private final DemoTable table;
    private long[] keys;
    private int size;
    private final Map<Long, Integer> index;
    private final ArrayDeque<Long> recentlyDeleted = new ArrayDeque<>();
    /** Next fresh id (single key) or next fresh line_no (order_lines). */
    private long next;

    private long maxOrderId;

    DemoKeySet(DemoTable table, long[] existing) {
        this.table = table;
        this.keys = Arrays.copyOf(existing, Math.max(16, existing.length * 2));
        this.size = existing.length;
        this.index = new HashMap<>(Math.max(16, existing.length * 2));
        for (int i = 0; i < size; i++) {
            index.put(keys[i], i);
            if (table.compositeKey()) {
                next = Math.max(next, keys[i] & 0xFFFF_FFFFL);
                maxOrderId = Math.max(maxOrderId, keys[i] >>> 32);
            } else {
                next = Math.max(next, keys[i]);
            }
        }
        next++;
    }

    int size() {
        return size;
    }

    boolean contains(long key) {
        return index.containsKey(key);
    }

    /** A random existing key; one of the first {@code hot} slots when {@code hot > 0}. */
    long pick(SplittableRandom r, int hot) {
        int bound = hot > 0 ? Math.min(hot, size) : size;
        return keys[r.nextInt(bound)];
    }

    /**
     * A key to insert: a recently deleted one with probability 1/{@code reinsertOneIn} (so the
     * log sees delete then insert of the same key), else a never-used one.
     */
    long keyToInsert(SplittableRandom r, int reinsertOneIn) {
        if (!recentlyDeleted.isEmpty() && r.nextInt(reinsertOneIn) == 0) {
            return recentlyDeleted.pollLast();
        }
        return freshKey(r);
    }

    /** A key never used before (so never live). */
    long freshKey(SplittableRandom r) {
        if (table.compositeKey()) {
            // A new line on some existing-or-past order; line_no is globally fresh, so never clashes.
            long orderId = 1 + r.nextLong(Math.max(1, maxOrderId));
            return DemoTable.packKey(orderId, (int) next++);
        }
        return next++;
    }

    /** The table was truncated: no key is live; the truncated keys may be inserted again. */
    void truncated() {
        for (int i = 0; i < size; i++) {
            recentlyDeleted.addLast(keys[i]);
            if (recentlyDeleted.size() > RECENT_DELETES) {
                recentlyDeleted.pollFirst();
            }
        }
        index.clear();
        size = 0;
    }

    void add(long key) {
        if (index.containsKey(key)) {
            throw new IllegalStateException(table.tableName() + ": key " + key + " is already live");
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size] = key;
        index.put(key, size++);
    }

    void remove(long key) {
        Integer at = index.remove(key);
        if (at == null) {
            throw new IllegalStateException(table.tableName() + ": key " + key + " is not live");
        }
        long last = keys[--size];
        if (at != size) {
            keys[at] = last;
            index.put(last, at);
        }
        recentlyDeleted.addLast(key);
        if (recentlyDeleted.size() > RECENT_DELETES) {
            recentlyDeleted.pollFirst();
        }
    }
}
