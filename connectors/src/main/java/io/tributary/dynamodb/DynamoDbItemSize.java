package io.tributary.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An item's size as DynamoDB counts it against its 400 KB limit, computed before sending so an
 * oversized item goes to the dead letters with its size instead of failing a request.
 *
 * <p>Rules from the DynamoDB developer guide ("Item sizes and formats"): names and strings count
 * their UTF-8 bytes, binaries their length, numbers one byte per two significant digits plus one,
 * BOOL and NULL one byte, L and M three bytes plus one per element plus their contents.
 */
public final class DynamoDbItemSize {
    /** DynamoDB's maximum item size, 400 KB including attribute names. */
    public static final int LIMIT = 400 * 1024;

    private DynamoDbItemSize() {}

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
            size += utf8(a.getKey()) + of(a.getValue());
        }
        return size;
    }

    static long of(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return number(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        }
        if (v.hasL()) {
            long size = 3;
            for (AttributeValue e : v.l()) {
                size += 1 + of(e);
            }
            return size;
        }
        if (v.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                size += 1 + utf8(e.getKey()) + of(e.getValue());
            }
            return size;
        }
        return 1; // BOOL, NULL
    }

    private static long number(String text) {
        BigDecimal d = new BigDecimal(text).stripTrailingZeros();
        return (d.precision() + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
