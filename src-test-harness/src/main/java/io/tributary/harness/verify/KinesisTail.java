package io.tributary.harness.verify;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a Kinesis stream from the start of every shard (TRIM_HORIZON) with GetRecords, and keeps
 * reading where it left off: {@link #poll()} returns what arrived since the last call, in arrival
 * order per shard. Shards that appear later (after a reshard) are picked up on the next poll.
 */
public final class KinesisTail {
    private final KinesisAsyncClient client;
    private final String stream;
    private final Map<String, String> iterators = new LinkedHashMap<>();

    /** One record as read: shard, partition key, sequence number, data. */
    public static final class TailRecord {
        public final String shardId;
        public final String partitionKey;
        public final String sequenceNumber;
        public final byte[] data;
        public final Instant arrival;

        TailRecord(String shardId, Record r) {
            this.shardId = shardId;
            this.partitionKey = r.partitionKey();
            this.sequenceNumber = r.sequenceNumber();
            this.data = r.data().asByteArray();
            this.arrival = r.approximateArrivalTimestamp();
        }

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return shardId + " " + partitionKey + " " + text();
        }
    }

    public KinesisTail(KinesisAsyncClient client, String stream) {
        this.client = client;
        this.stream = stream;
    }

    /** Records that arrived since the last poll, shard by shard, each shard's in arrival order. */
    public List<TailRecord> poll() {
        for (Shard shard : client.describeStream(r -> r.streamName(stream))
                .join()
                .streamDescription()
                .shards()) {
            iterators.computeIfAbsent(
                    shard.shardId(),
                    id -> client.getShardIterator(r ->
                                    r.streamName(stream).shardId(id).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                            .join()
                            .shardIterator());
        }
        List<TailRecord> out = new ArrayList<>();
        for (Map.Entry<String, String> shard : iterators.entrySet()) {
            String iterator = shard.getValue();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = client.getRecords(
                                r -> r.shardIterator(current).limit(10_000))
                        .join();
                for (Record r : response.records()) {
                    out.add(new TailRecord(shard.getKey(), r));
                }
                iterator = response.nextShardIterator();
                if (response.records().isEmpty()) {
                    break;
                }
            }
            shard.setValue(iterator);
        }
        return out;
    }

    /** Polls until {@code done} holds for everything read so far, or the timeout passes; returns all read. */
    public List<TailRecord> readUntil(Predicate<List<TailRecord>> done, Duration timeout) throws InterruptedException {
        List<TailRecord> all = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            all.addAll(poll());
            if (done.test(all) || Instant.now().isAfter(deadline)) {
                return all;
            }
            Thread.sleep(50);
        }
    }
}
