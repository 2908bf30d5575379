package io.tributary.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Map;

/**
 * A journal item as plain JSON for people and scripts: M → object, L → array, N → number (exact),
 * S → string, B → base64 string, BOOL, NULL; sets as arrays.
 */
public final class DynamoDbJournalJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DynamoDbJournalJson() {}

    public static ObjectNode of(Map<String, AttributeValue> item) {
        ObjectNode o = NODES.objectNode();
        item.forEach((name, value) -> o.set(name, of(value)));
        return o;
    }

    public static JsonNode of(AttributeValue v) {
        if (v.hasM()) {
            return of(v.m());
        }
        if (v.hasL()) {
            ArrayNode a = NODES.arrayNode();
            v.l().forEach(e -> a.add(of(e)));
            return a;
        }
        if (v.n() != null) {
            return NODES.numberNode(new BigDecimal(v.n()));
        }
        if (v.s() != null) {
            return NODES.textNode(v.s());
        }
        if (v.b() != null) {
            return NODES.textNode(Base64.getEncoder().encodeToString(v.b().asByteArray()));
        }
        if (v.bool() != null) {
            return NODES.booleanNode(v.bool());
        }
        if (v.hasSs()) {
            ArrayNode a = NODES.arrayNode();
            v.ss().forEach(a::add);
            return a;
        }
        if (v.hasNs()) {
            ArrayNode a = NODES.arrayNode();
            v.ns().forEach(n -> a.add(new BigDecimal(n)));
            return a;
        }
        return NODES.nullNode();
    }

    /** Compact JSON text. */
    public static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + node, e);
        }
    }
}
