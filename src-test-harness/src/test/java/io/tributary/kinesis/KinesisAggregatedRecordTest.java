package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.verify.KinesisDeaggregator;
import io.tributary.harness.verify.KinesisDeaggregator.UserRecord;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@link KinesisAggregatedRecord} and {@link KinesisAggregationBuckets} against an independent decoder
 * ({@link KinesisDeaggregator}: protobuf-java parsing the spec's messages, KCL's rules).
 */
class KinesisAggregatedRecordTest {
    private static final BigInteger MAX_HASH = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    @Test
    void decoderReadsEveryRecordBackInOrderWithItsKeyAndTheBucketHashKey() {
        KinesisAggregationBuckets buckets = new KinesisAggregationBuckets(16);
        KinesisAggregatedRecord record = new KinesisAggregatedRecord(
                buckets.partitionKey(5), buckets.explicitHashKey(5), KinesisSinkSettings.MAX_BYTES_PER_RECORD);
        List<String> keys = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        Random random = new Random(7);
        // 300 records over 200 keys: key indexes and lengths past one varint byte, repeated keys, empty data.
        for (int i = 0; i < 300; i++) {
            String key = "public.accounts/" + (i % 200) + (i % 3 == 0 ? "/ü" : "");
            byte[] bytes = new byte[i == 7 ? 0 : random.nextInt(i % 10 == 0 ? 20_000 : 300)];
            random.nextBytes(bytes);
            assertThat(record.tryAdd(key, bytes)).isTrue();
            keys.add(key);
            data.add(bytes);
        }

        byte[] bytes = record.toBytes();
        assertThat(bytes.length + buckets.partitionKey(5).length()).isEqualTo(record.size());
        List<UserRecord> read =
                KinesisDeaggregator.deaggregate(record.partitionKey(), bytes, BigInteger.ZERO, MAX_HASH);
        assertThat(read).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(read.get(i).aggregated).isTrue();
            assertThat(read.get(i).partitionKey).isEqualTo(keys.get(i));
            assertThat(read.get(i).data).isEqualTo(data.get(i));
            assertThat(read.get(i).explicitHashKey).isEqualTo(buckets.explicitHashKey(5));
        }
    }

    @Test
    void staysWithinTheLimitAndSizeAloneIsExact() {
        long limit = KinesisSinkSettings.MAX_BYTES_PER_RECORD;
        KinesisAggregatedRecord record = new KinesisAggregatedRecord("tributary-aggregate-3", "12345", limit);
        byte[] chunk = new byte[100_000];
        int added = 0;
        while (record.tryAdd("public.big/" + added, chunk)) {
            added++;
        }
        assertThat(added).isEqualTo(10);
        assertThat(record.records()).isEqualTo(10);
        assertThat(record.toBytes().length + "tributary-aggregate-3".length())
                .isEqualTo(record.size())
                .isLessThanOrEqualTo((int) limit);

        // A record that fills the limit to the byte is taken; one byte more is not.
        long alone = KinesisAggregatedRecord.sizeAlone("p", "1", "k", 0);
        int fits = (int) (limit - alone);
        while (KinesisAggregatedRecord.sizeAlone("p", "1", "k", fits) > limit) {
            fits--; // the length varints grow from 1 to 3 bytes
        }
        assertThat(KinesisAggregatedRecord.sizeAlone("p", "1", "k", fits)).isEqualTo(limit);
        KinesisAggregatedRecord full = new KinesisAggregatedRecord("p", "1", limit);
        assertThat(full.tryAdd("k", new byte[fits])).isTrue();
        assertThat(full.size()).isEqualTo(limit);
        assertThat(full.toBytes().length + 1).isEqualTo((int) limit);
        assertThat(new KinesisAggregatedRecord("p", "1", limit).tryAdd("k", new byte[fits + 1]))
                .isFalse();
    }

    @Test
    void plainJsonIsNotMistakenForAnAggregatedRecord() {
        byte[] json = "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        List<UserRecord> read = KinesisDeaggregator.deaggregate("k", json, BigInteger.ZERO, MAX_HASH);
        assertThat(read).singleElement().satisfies(r -> assertThat(r.aggregated).isFalse());
    }

    @Test
    void bucketHashKeyLiesOnTheShardOfEveryKeyInTheBucketWhenShardsDivideTheSpaceEvenly() {
        KinesisAggregationBuckets buckets = new KinesisAggregationBuckets(256);
        BigInteger space = BigInteger.ONE.shiftLeft(128);
        Set<Integer> used = new HashSet<>();
        for (int shards : new int[] {1, 2, 4, 8, 64, 256}) {
            BigInteger width = space.divide(BigInteger.valueOf(shards));
            for (int id = 0; id < 5_000; id++) {
                String key = "public.orders/" + id;
                int bucket = buckets.of(key);
                used.add(bucket);
                BigInteger own = KinesisDeaggregator.hashKeyOf(key);
                BigInteger assigned = new BigInteger(buckets.explicitHashKey(bucket));
                assertThat(assigned.divide(width))
                        .as("shard of %s with %d shards", key, shards)
                        .isEqualTo(own.divide(width));
            }
        }
        assertThat(used).as("keys spread over every bucket").hasSize(256);
    }

    @Test
    void bucketHashKeysAreValidKinesisHashKeys() {
        for (int count : new int[] {1, 3, 256, KinesisAggregationBuckets.MAX_BUCKETS}) {
            KinesisAggregationBuckets buckets = new KinesisAggregationBuckets(count);
            assertThat(new BigInteger(buckets.explicitHashKey(0))).isPositive();
            assertThat(new BigInteger(buckets.explicitHashKey(count - 1))).isLessThanOrEqualTo(MAX_HASH);
        }
    }
}
