package io.tributary.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a journal image's attribute holds the value PostgreSQL printed as text (test_decoding's
 * output, or {@code col::text} in a UTC session): an independent reading of the attribute, type by
 * type, so the test does not check the mapper with itself.
 */
final class JournalImageText {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JournalImageText() {}

    /** True if {@code value} (absent: null) stands for {@code text} of PostgreSQL type {@code type}. */
    static boolean matches(String type, String text, AttributeValue value) {
        if (value == null) {
            return false;
        }
        if (text == null) {
            return Boolean.TRUE.equals(value.nul());
        }
        String t = type.toLowerCase();
        if (t.endsWith("[]")) {
            if (!value.hasL()) {
                return false;
            }
            List<String> elements = parseArray(text);
            if (elements.size() != value.l().size()) {
                return false;
            }
            String element = t.substring(0, t.length() - 2);
            for (int i = 0; i < elements.size(); i++) {
                if (!matches(element, elements.get(i), value.l().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (value.s() != null && value.s().equals(text)) {
            return true; // text, uuid, date, and the spelled-out special values (NaN, infinity)
        }
        if (t.equals("boolean") || t.equals("bool")) {
            return value.bool() != null && value.bool() == (text.equals("true") || text.equals("t"));
        }
        if (t.equals("bytea")) {
            return value.b() != null
                    && text.startsWith("\\x")
                    && Arrays.equals(
                            HexFormat.of().parseHex(text.substring(2)),
                            value.b().asByteArray());
        }
        if (t.startsWith("json")) {
            try {
                return normalize(JSON.readTree(text)).equals(normalize(json(value)));
            } catch (Exception e) {
                return false;
            }
        }
        if (t.equals("timestamptz") || t.startsWith("timestamp with time zone")) {
            return value.s() != null
                    && OffsetDateTime.parse(pgTimestamp(text) + (text.matches(".*[+-]\\d\\d$") ? ":00" : ""))
                            .toInstant()
                            .equals(OffsetDateTime.parse(value.s()).toInstant());
        }
        if (t.startsWith("timestamp")) {
            return value.s() != null && LocalDateTime.parse(pgTimestamp(text)).equals(LocalDateTime.parse(value.s()));
        }
        if (t.equals("real") || t.equals("double precision") || t.startsWith("float")) {
            return value.n() != null && Double.parseDouble(value.n()) == Double.parseDouble(text);
        }
        if (t.startsWith("numeric")
                || t.startsWith("decimal")
                || t.endsWith("int")
                || t.equals("bigint")
                || t.equals("integer")
                || t.equals("smallint")) {
            String n = value.n() != null ? value.n() : value.s();
            try {
                return n != null && new BigDecimal(n).compareTo(new BigDecimal(text)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    private static String pgTimestamp(String text) {
        return text.replace(' ', 'T');
    }

    /** A one-dimensional array literal's elements; NULL (unquoted) as null. */
    static List<String> parseArray(String text) {
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new IllegalArgumentException("not an array literal: " + text);
        }
        List<String> out = new ArrayList<>();
        String body = text.substring(1, text.length() - 1);
        if (body.isEmpty()) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    cur.append(body.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(!wasQuoted && cur.toString().equals("NULL") ? null : cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else {
                cur.append(c);
            }
        }
        out.add(!wasQuoted && cur.toString().equals("NULL") ? null : cur.toString());
        return out;
    }

    /** An attribute as JSON: M → object, L → array, N → number, S → string, BOOL, NULL. */
    static JsonNode json(AttributeValue v) {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
        if (v.hasM()) {
            ObjectNode o = f.objectNode();
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                o.set(e.getKey(), json(e.getValue()));
            }
            return o;
        }
        if (v.hasL()) {
            ArrayNode a = f.arrayNode();
            v.l().forEach(e -> a.add(json(e)));
            return a;
        }
        if (v.n() != null) {
            return f.numberNode(new BigDecimal(v.n()));
        }
        if (v.s() != null) {
            return f.textNode(v.s());
        }
        if (v.bool() != null) {
            return f.booleanNode(v.bool());
        }
        return f.nullNode();
    }

    /** Numbers compared by value, whatever their scale. */
    private static JsonNode normalize(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue();
            return f.numberNode(d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros());
        }
        if (node.isObject()) {
            ObjectNode o = f.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), normalize(e.getValue()));
            }
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = f.arrayNode();
            node.forEach(e -> a.add(normalize(e)));
            return a;
        }
        return Objects.requireNonNull(node);
    }
}
