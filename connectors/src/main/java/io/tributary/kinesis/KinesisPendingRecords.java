package io.tributary.kinesis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records a writer holds, queued per partition key, with the rule that makes per-key order
 * hold: a key's head record is the only one of that key that may be sent, and while it is in
 * flight or backing off after a failure the key is <em>busy</em> and nothing else of it is sent.
 * A failed head stays at the head, so its retry precedes every later record of its key.
 *
 * <p>Keys whose head may be sent wait in a FIFO ready queue, so batches are built in O(batch).
 * Not thread-safe: the writer guards it with its lock.
 */
final class KinesisPendingRecords {

    /**
     * One record to put: partition key, explicit hash key (null: the partition key's), bytes, the change
     * records it carries (more than one when aggregated), attempts made so far.
     */
    static final class Entry {
        final String partitionKey;
        final String explicitHashKey;
        final byte[] data;
        final int records;
        final long size;
        int attempts;

        Entry(String partitionKey, byte[] data) {
            this(partitionKey, null, data, 1);
        }

        Entry(String partitionKey, String explicitHashKey, byte[] data, int records) {
            this.partitionKey = partitionKey;
            this.explicitHashKey = explicitHashKey;
            this.data = data;
            this.records = records;
            this.size = data.length + (long) partitionKey.length() * 3;
        }
    }

    private final Map<String, ArrayDeque<Entry>> queues = new HashMap<>();
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private final Set<String> busy = new HashSet<>();
    private int size;

    void add(Entry entry) {
        ArrayDeque<Entry> queue = queues.computeIfAbsent(entry.partitionKey, k -> new ArrayDeque<>());
        queue.addLast(entry);
        size += entry.records;
        if (queue.size() == 1 && !busy.contains(entry.partitionKey)) {
            ready.addLast(entry.partitionKey);
        }
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /**
     * Takes the heads of ready keys, at most one per key, up to {@code maxRecords} and
     * {@code maxBytes}; their keys become busy.
     */
    List<Entry> nextBatch(int maxRecords, long maxBytes) {
        List<Entry> batch = new ArrayList<>(Math.min(maxRecords, ready.size()));
        long bytes = 0;
        while (batch.size() < maxRecords && !ready.isEmpty()) {
            String key = ready.peekFirst();
            Entry head = queues.get(key).peekFirst();
            if (!batch.isEmpty() && bytes + head.size > maxBytes) {
                break;
            }
            ready.pollFirst();
            busy.add(key);
            batch.add(head);
            bytes += head.size;
        }
        return batch;
    }

    /** The entry (its key's head) was stored: drop it, and let the key's next record go. */
    void succeeded(Entry entry) {
        ArrayDeque<Entry> queue = queues.get(entry.partitionKey);
        if (queue == null || queue.peekFirst() != entry) {
            throw new IllegalStateException("entry of key " + entry.partitionKey + " is not its key's head");
        }
        queue.pollFirst();
        size -= entry.records;
        busy.remove(entry.partitionKey);
        if (queue.isEmpty()) {
            queues.remove(entry.partitionKey);
        } else {
            ready.addLast(entry.partitionKey);
        }
    }

    /**
     * The entry failed and its backoff is over: its key may send again, starting with this same
     * entry, which stayed at the head of its queue.
     */
    void release(Entry entry) {
        if (busy.remove(entry.partitionKey)) {
            ready.addLast(entry.partitionKey);
        }
    }

    /** True while a record of the key is queued, in flight or backing off. */
    boolean holds(String partitionKey) {
        return queues.containsKey(partitionKey);
    }

    /** Change records held (an aggregated record counts its sub-records): queued, in flight and backing off. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isBusy(String partitionKey) {
        return busy.contains(partitionKey);
    }
}
