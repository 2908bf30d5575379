package io.tributary.kinesis;

import io.tributary.event.ChangeEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Derives a Kinesis partition key from a change's table and primary key.
 *
 * <p>The key is {@link ChangeEvent#routingKey()} ({@code schema.table/k1/k2}), so every change of
 * one row lands on one shard and keeps its order there. Kinesis allows at most 256 characters; a
 * longer routing key is replaced by its SHA-256 in lower-case hex (64 characters), which is still
 * one fixed key per row.
 */
public final class KinesisPartitionKeys {
    /** Kinesis's limit on a partition key, in Unicode characters. */
    public static final int MAX_LENGTH = 256;

    private KinesisPartitionKeys() {}

    public static String of(ChangeEvent event) {
        return of(event.routingKey());
    }

    /** {@code routingKey} itself when it fits, else its SHA-256 in hex. */
    public static String of(String routingKey) {
        if (routingKey.codePointCount(0, routingKey.length()) <= MAX_LENGTH) {
            return routingKey;
        }
        return sha256Hex(routingKey);
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
