package io.tributary.harness.verify;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * De-aggregates Kinesis records in the KPL aggregation format as KCL does, written for tests from the
 * format's specification (awslabs/amazon-kinesis-producer aggregation-format.md) and independent of the
 * sink's encoder: the protobuf is parsed by protobuf-java against the spec's {@code .proto} messages
 * (proto2, required fields checked), built here as descriptors.
 *
 * <p>Rules copied from KCL 2.x {@code AggregatorUtil.deaggregate}: a record that is too short, lacks the
 * magic bytes, fails its MD5 or does not parse is a plain record, returned as is; a sub-record whose
 * effective hash key (its explicit hash key, else the MD5 of its partition key) lies outside the shard's
 * hash range makes KCL drop the whole aggregated record, which is reported here as an error.
 */
public final class KinesisDeaggregator {
    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_BYTES = 16;
    private static final FileDescriptor MESSAGES = descriptors();
    private static final Descriptor AGGREGATED_RECORD = MESSAGES.findMessageTypeByName("AggregatedRecord");
    private static final Descriptor RECORD = MESSAGES.findMessageTypeByName("Record");

    /** One user record: its partition key, explicit hash key (null if none) and data. */
    public static final class UserRecord {
        public final String partitionKey;
        public final String explicitHashKey;
        public final byte[] data;
        public final boolean aggregated;

        UserRecord(String partitionKey, String explicitHashKey, byte[] data, boolean aggregated) {
            this.partitionKey = partitionKey;
            this.explicitHashKey = explicitHashKey;
            this.data = data;
            this.aggregated = aggregated;
        }

        /** The hash key Kinesis and KCL route the record by. */
        public BigInteger effectiveHashKey() {
            return explicitHashKey != null ? new BigInteger(explicitHashKey) : hashKeyOf(partitionKey);
        }
    }

    /** The hash key Kinesis derives from a partition key: its MD5 as an unsigned 128-bit number. */
    public static BigInteger hashKeyOf(String partitionKey) {
        return new BigInteger(1, md5(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }

    private KinesisDeaggregator() {}

    /**
     * The user records of one Kinesis record read from a shard covering {@code [start, end]}: its
     * sub-records in stored order, or the record itself when it is not aggregated.
     *
     * @throws IllegalStateException when KCL would drop the aggregated record (a sub-record outside the shard)
     */
    public static List<UserRecord> deaggregate(String partitionKey, byte[] data, BigInteger start, BigInteger end) {
        List<UserRecord> plain = List.of(new UserRecord(partitionKey, null, data, false));
        if (data.length < MAGIC.length
                || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)
                || data.length - MAGIC.length <= DIGEST_BYTES) {
            return plain;
        }
        byte[] message = Arrays.copyOfRange(data, MAGIC.length, data.length - DIGEST_BYTES);
        if (!Arrays.equals(md5(message), Arrays.copyOfRange(data, data.length - DIGEST_BYTES, data.length))) {
            return plain;
        }
        DynamicMessage aggregated;
        try {
            aggregated = DynamicMessage.parseFrom(AGGREGATED_RECORD, message);
        } catch (InvalidProtocolBufferException e) {
            return plain;
        }
        List<?> keys = (List<?>) aggregated.getField(AGGREGATED_RECORD.findFieldByName("partition_key_table"));
        List<?> hashKeys = (List<?>) aggregated.getField(AGGREGATED_RECORD.findFieldByName("explicit_hash_key_table"));
        FieldDescriptor keyIndex = RECORD.findFieldByName("partition_key_index");
        FieldDescriptor hashKeyIndex = RECORD.findFieldByName("explicit_hash_key_index");
        FieldDescriptor payload = RECORD.findFieldByName("data");
        List<UserRecord> records = new ArrayList<>();
        for (Object o : (List<?>) aggregated.getField(AGGREGATED_RECORD.findFieldByName("records"))) {
            DynamicMessage r = (DynamicMessage) o;
            String key = (String) keys.get(Math.toIntExact((Long) r.getField(keyIndex)));
            String hashKey = r.hasField(hashKeyIndex)
                    ? (String) hashKeys.get(Math.toIntExact((Long) r.getField(hashKeyIndex)))
                    : null;
            UserRecord user = new UserRecord(key, hashKey, ((ByteString) r.getField(payload)).toByteArray(), true);
            BigInteger hash = user.effectiveHashKey();
            if (hash.compareTo(start) < 0 || hash.compareTo(end) > 0) {
                throw new IllegalStateException("KCL would drop this aggregated record: sub-record of key " + key
                        + " has hash key " + hash + " outside its shard [" + start + ", " + end + "]");
            }
            records.add(user);
        }
        return records;
    }

    private static FileDescriptor descriptors() {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("kpl_aggregation.proto")
                .setSyntax("proto2")
                .addMessageType(DescriptorProto.newBuilder()
                        .setName("AggregatedRecord")
                        .addField(field("partition_key_table", 1, Label.LABEL_REPEATED, Type.TYPE_STRING))
                        .addField(field("explicit_hash_key_table", 2, Label.LABEL_REPEATED, Type.TYPE_STRING))
                        .addField(field("records", 3, Label.LABEL_REPEATED, Type.TYPE_MESSAGE)
                                .setTypeName(".Record")))
                .addMessageType(DescriptorProto.newBuilder()
                        .setName("Tag")
                        .addField(field("key", 1, Label.LABEL_REQUIRED, Type.TYPE_STRING))
                        .addField(field("value", 2, Label.LABEL_OPTIONAL, Type.TYPE_STRING)))
                .addMessageType(DescriptorProto.newBuilder()
                        .setName("Record")
                        .addField(field("partition_key_index", 1, Label.LABEL_REQUIRED, Type.TYPE_UINT64))
                        .addField(field("explicit_hash_key_index", 2, Label.LABEL_OPTIONAL, Type.TYPE_UINT64))
                        .addField(field("data", 3, Label.LABEL_REQUIRED, Type.TYPE_BYTES))
                        .addField(field("tags", 4, Label.LABEL_REPEATED, Type.TYPE_MESSAGE)
                                .setTypeName(".Tag")))
                .build();
        try {
            return FileDescriptor.buildFrom(file, new FileDescriptor[0]);
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("the KPL aggregation messages do not build", e);
        }
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Label label, Type type) {
        return FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setLabel(label)
                .setType(type);
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
