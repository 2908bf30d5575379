package io.tributary.kinesis;

import io.tributary.kinesis.KinesisPendingRecords.Entry;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Holds change records per hash-key bucket until a request slot is free, then seals each bucket's
 * oldest records into one aggregated record ({@link KinesisAggregatedRecord}) and hands it to
 * {@link KinesisPendingRecords} under the bucket's partition key.
 *
 * <p>Per-row order: a row always maps to one bucket, and a bucket's aggregated records share one
 * partition key in {@link KinesisPendingRecords}, which lets one record per key be in flight and retries
 * a failed one, unchanged, before the next; each holds the bucket's oldest records in arrival order, and
 * consumers de-aggregate sub-records in stored order. A bucket is sealed only while the pending records
 * hold nothing of it, so its later records keep gathering meanwhile: under light load a bucket goes out
 * with what it has (often one record), under back-pressure aggregated records fill up.
 *
 * <p>Not thread-safe: the writer guards it with its lock.
 */
final class KinesisRecordAggregator {

    /** A change record waiting for its bucket's next aggregated record. */
    private static final class Waiting {
        final String partitionKey;
        final byte[] data;

        Waiting(String partitionKey, byte[] data) {
            this.partitionKey = partitionKey;
            this.data = data;
        }
    }

    private final KinesisAggregationBuckets buckets;
    private final long maxBytes;
    private final Map<Integer, ArrayDeque<Waiting>> queues = new HashMap<>();
    private final ArrayDeque<Integer> waitingBuckets = new ArrayDeque<>();
    private int size;

    KinesisRecordAggregator(KinesisAggregationBuckets buckets, long maxBytes) {
        this.buckets = buckets;
        this.maxBytes = maxBytes;
    }

    /**
     * The size of the record alone in an aggregated record (data, keys, magic, digest): what must stay
     * within the limit for {@link #add} to take it.
     */
    long sizeAlone(String partitionKey, byte[] data) {
        int bucket = buckets.of(partitionKey);
        return KinesisAggregatedRecord.sizeAlone(
                buckets.partitionKey(bucket), buckets.explicitHashKey(bucket), partitionKey, data.length);
    }

    /** Queues the record behind its bucket's earlier ones; check {@link #sizeAlone} first. */
    void add(String partitionKey, byte[] data) {
        int bucket = buckets.of(partitionKey);
        ArrayDeque<Waiting> queue = queues.computeIfAbsent(bucket, b -> new ArrayDeque<>());
        if (queue.isEmpty()) {
            waitingBuckets.addLast(bucket);
        }
        queue.addLast(new Waiting(partitionKey, data));
        size++;
    }

    /**
     * Seals one aggregated record for every waiting bucket that {@code pending} holds nothing of, and
     * adds it there.
     */
    void sealInto(KinesisPendingRecords pending) {
        for (int n = waitingBuckets.size(); n > 0; n--) {
            int bucket = waitingBuckets.pollFirst();
            String partitionKey = buckets.partitionKey(bucket);
            ArrayDeque<Waiting> queue = queues.get(bucket);
            if (!pending.holds(partitionKey)) {
                KinesisAggregatedRecord record =
                        new KinesisAggregatedRecord(partitionKey, buckets.explicitHashKey(bucket), maxBytes);
                while (!queue.isEmpty() && record.tryAdd(queue.peekFirst().partitionKey, queue.peekFirst().data)) {
                    queue.pollFirst();
                }
                if (record.records() == 0) {
                    throw new IllegalStateException("a record of key " + queue.peekFirst().partitionKey
                            + " does not fit an aggregated record: check sizeAlone before add");
                }
                size -= record.records();
                pending.add(new Entry(partitionKey, record.explicitHashKey(), record.toBytes(), record.records()));
            }
            if (queue.isEmpty()) {
                queues.remove(bucket);
            } else {
                waitingBuckets.addLast(bucket);
            }
        }
    }

    /** Change records waiting to be sealed. */
    int size() {
        return size;
    }
}
