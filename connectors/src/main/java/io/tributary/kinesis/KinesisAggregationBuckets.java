package io.tributary.kinesis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Splits Kinesis's 128-bit hash-key space into equal buckets and names, for each bucket, the one
 * explicit hash key (its midpoint) under which the aggregated records of that bucket are put.
 *
 * <p>Why every sub-record carries the bucket's explicit hash key, not only the outer record: KCL
 * ({@code AggregatorUtil.deaggregate} with the shard's range) computes each sub-record's effective hash
 * key (its explicit hash key, else the MD5 of its partition key) and drops the <em>whole</em> aggregated
 * record when one falls outside the shard it was read from. With one explicit hash key for the outer
 * record and all its sub-records, the shard that stores the record always owns every sub-record's hash
 * key, whatever the shard map is, with no shard map to read or keep fresh across a reshard.
 *
 * <p>Order: a row's bucket is a pure function of its partition key (the MD5 Kinesis itself uses), so
 * every change of a row is put under one hash key, to one shard, as with the plain format. When the
 * stream's shards split the hash space at multiples of 2^128 / buckets (evenly split streams whose shard
 * count divides the bucket count), a bucket's midpoint lies on the shard the row's own key maps to, so a
 * row lands on exactly the shard the plain format would use. Changing the bucket count moves rows
 * between shards like a change of partition key: do it only with a drained stream.
 */
final class KinesisAggregationBuckets {
    /** Upper bound of the bucket count (more buckets than a stream could ever have shards). */
    static final int MAX_BUCKETS = 1 << 16;

    private final int count;
    private final String[] explicitHashKeys;

    KinesisAggregationBuckets(int count) {
        if (count < 1 || count > MAX_BUCKETS) {
            throw new IllegalArgumentException("aggregation bucket count must be 1.." + MAX_BUCKETS + ", got " + count);
        }
        this.count = count;
        this.explicitHashKeys = new String[count];
        BigInteger space = BigInteger.ONE.shiftLeft(128);
        BigInteger twiceCount = BigInteger.valueOf(2L * count);
        for (int b = 0; b < count; b++) {
            explicitHashKeys[b] = space.multiply(BigInteger.valueOf(2L * b + 1))
                    .divide(twiceCount)
                    .toString();
        }
    }

    int count() {
        return count;
    }

    /** The bucket of the partition key's hash key: floor(MD5(key) * count / 2^128). */
    int of(String partitionKey) {
        return new BigInteger(1, md5(partitionKey.getBytes(StandardCharsets.UTF_8)))
                .multiply(BigInteger.valueOf(count))
                .shiftRight(128)
                .intValueExact();
    }

    /** The bucket's midpoint in decimal, as PutRecords and the aggregation format spell hash keys. */
    String explicitHashKey(int bucket) {
        return explicitHashKeys[bucket];
    }

    /** The outer partition key of the bucket's aggregated records (Kinesis routes them by the hash key). */
    String partitionKey(int bucket) {
        return "tributary-aggregate-" + bucket;
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
