package io.tributary.kinesis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one Kinesis record in the KPL aggregation format (awslabs/amazon-kinesis-producer
 * aggregation-format.md): the magic bytes {@code F3 89 9A C2}, a protobuf (proto2)
 * {@code AggregatedRecord}, then the MD5 of the protobuf bytes.
 *
 * <pre>
 * AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                    repeated Record records = 3; }
 * Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *          required bytes data = 3; }
 * </pre>
 *
 * <p>Encoded by hand (varints and length-delimited fields, a few lines) rather than through a protobuf
 * dependency the connector does not otherwise need. Every sub-record points at the one explicit hash
 * key of its bucket (see {@link KinesisAggregationBuckets}); partition keys are stored once per record.
 * {@link #tryAdd} keeps the whole record, with its outer partition key, within Kinesis's 1 MiB.
 */
final class KinesisAggregatedRecord {
    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    static final int DIGEST_BYTES = 16;

    private static final int PARTITION_KEY_TABLE = 1 << 3 | 2;
    private static final int EXPLICIT_HASH_KEY_TABLE = 2 << 3 | 2;
    private static final int RECORDS = 3 << 3 | 2;
    private static final int PARTITION_KEY_INDEX = 1 << 3;
    private static final int EXPLICIT_HASH_KEY_INDEX = 2 << 3;
    private static final int DATA = 3 << 3 | 2;

    private final String partitionKey;
    private final String explicitHashKey;
    private final long maxBytes;
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private final List<byte[]> keys = new ArrayList<>();
    private final List<Integer> recordKeys = new ArrayList<>();
    private final List<byte[]> recordData = new ArrayList<>();
    private long protobufBytes;

    /** An empty record put under {@code partitionKey} and {@code explicitHashKey}, at most {@code maxBytes}. */
    KinesisAggregatedRecord(String partitionKey, String explicitHashKey, long maxBytes) {
        this.partitionKey = partitionKey;
        this.explicitHashKey = explicitHashKey;
        this.maxBytes = maxBytes;
        this.protobufBytes = lengthDelimited(explicitHashKey.getBytes(StandardCharsets.UTF_8).length);
    }

    /**
     * Adds the record if the aggregated record stays within the limit (data, outer partition key, magic
     * and digest); false, and nothing added, otherwise.
     */
    boolean tryAdd(String recordPartitionKey, byte[] data) {
        Integer index = keyIndex.get(recordPartitionKey);
        byte[] key = index == null ? recordPartitionKey.getBytes(StandardCharsets.UTF_8) : null;
        int keyNumber = index != null ? index : keys.size();
        long grown = protobufBytes
                + (key == null ? 0 : lengthDelimited(key.length))
                + lengthDelimited(recordMessageBytes(keyNumber, data.length));
        if (bytes(grown) > maxBytes) {
            return false;
        }
        if (key != null) {
            keyIndex.put(recordPartitionKey, keyNumber);
            keys.add(key);
        }
        recordKeys.add(keyNumber);
        recordData.add(data);
        protobufBytes = grown;
        return true;
    }

    /** The size of an aggregated record holding only this record, as {@link #size()} counts it. */
    static long sizeAlone(String partitionKey, String explicitHashKey, String recordPartitionKey, int dataLength) {
        return MAGIC.length
                + DIGEST_BYTES
                + partitionKey.getBytes(StandardCharsets.UTF_8).length
                + lengthDelimited(explicitHashKey.getBytes(StandardCharsets.UTF_8).length)
                + lengthDelimited(recordPartitionKey.getBytes(StandardCharsets.UTF_8).length)
                + lengthDelimited(recordMessageBytes(0, dataLength));
    }

    int records() {
        return recordData.size();
    }

    /** The Kinesis record's data plus its partition key, as counted against the 1 MiB limit. */
    long size() {
        return bytes(protobufBytes);
    }

    String partitionKey() {
        return partitionKey;
    }

    String explicitHashKey() {
        return explicitHashKey;
    }

    /** Magic, protobuf, MD5 of the protobuf. */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) protobufBytes + MAGIC.length + DIGEST_BYTES);
        out.writeBytes(MAGIC);
        ByteArrayOutputStream protobuf = new ByteArrayOutputStream((int) protobufBytes);
        for (byte[] key : keys) {
            writeLengthDelimited(protobuf, PARTITION_KEY_TABLE, key);
        }
        writeLengthDelimited(protobuf, EXPLICIT_HASH_KEY_TABLE, explicitHashKey.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < recordData.size(); i++) {
            byte[] data = recordData.get(i);
            int keyNumber = recordKeys.get(i);
            writeVarint(protobuf, RECORDS);
            writeVarint(protobuf, recordMessageBytes(keyNumber, data.length));
            writeVarint(protobuf, PARTITION_KEY_INDEX);
            writeVarint(protobuf, keyNumber);
            writeVarint(protobuf, EXPLICIT_HASH_KEY_INDEX);
            writeVarint(protobuf, 0);
            writeLengthDelimited(protobuf, DATA, data);
        }
        byte[] message = protobuf.toByteArray();
        if (message.length != protobufBytes) {
            throw new IllegalStateException(
                    "aggregated record of " + message.length + " bytes, computed " + protobufBytes);
        }
        out.writeBytes(message);
        out.writeBytes(md5(message));
        return out.toByteArray();
    }

    private long bytes(long protobuf) {
        return MAGIC.length + protobuf + DIGEST_BYTES + partitionKey.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A Record message: key index, hash key index 0, data. */
    private static long recordMessageBytes(int keyNumber, int dataLength) {
        return 1 + varintBytes(keyNumber) + 1 + 1 + lengthDelimited(dataLength);
    }

    /** Tag (one byte for fields 1-15), length varint, payload. */
    private static long lengthDelimited(long payload) {
        return 1 + varintBytes(payload) + payload;
    }

    private static int varintBytes(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    private static void writeLengthDelimited(ByteArrayOutputStream out, int tag, byte[] payload) {
        writeVarint(out, tag);
        writeVarint(out, payload.length);
        out.writeBytes(payload);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
