package io.tributary.dynamodb;

import io.tributary.event.ColumnType;
import io.tributary.event.SpecialValue;
import io.tributary.event.ValueKind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed column values to DynamoDB attribute values, keeping every value exact.
 *
 * <p>Numbers become N from their exact decimal text. DynamoDB's N holds at most 38 significant
 * digits and magnitudes between 1E-130 and 1E+125; a value outside that (a numeric(50,0), NaN or
 * ±Infinity in real, double or numeric) is stored as S of its plain text rather than rounded, so no
 * digit is lost. Times are ISO-8601 with a fixed six-digit fraction so that they sort as text. A
 * {@link SpecialValue} (numeric NaN, ±infinity, time 24:00:00) is S of PostgreSQL's spelling.
 */
public final class DynamoDbAttributeValues {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final AttributeValue NULL =
            AttributeValue.builder().nul(true).build();
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT);
    static final DateTimeFormatter TIMESTAMPTZ = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSSX", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DynamoDbAttributeValues() {}

    /** The attribute value for a column value of type {@code type}; null becomes NULL(true). */
    public static AttributeValue of(ColumnType type, Object value) {
        if (value == null) {
            return NULL;
        }
        ValueKind kind = type.kind();
        if (value instanceof SpecialValue) {
            return s(((SpecialValue) value).postgresText(kind));
        }
        switch (kind) {
            case BOOLEAN:
                return AttributeValue.builder().bool((Boolean) value).build();
            case INT16:
            case INT32:
            case INT64:
                return n(value.toString());
            case FLOAT32:
            case FLOAT64:
                return floating(((Number) value).doubleValue(), value);
            case DECIMAL:
                return number((BigDecimal) value);
            case STRING:
                return isNumericSource(type) ? numericText((String) value) : s((String) value);
            case UUID:
                return s(value.toString());
            case JSON:
                return json((String) value);
            case DATE:
                return s(((LocalDate) value).toString());
            case TIME:
                return s(TIME.format((LocalTime) value));
            case TIMESTAMP:
                return s(TIMESTAMP.format((LocalDateTime) value));
            case TIMESTAMPTZ:
                return s(TIMESTAMPTZ.format((Instant) value));
            case BYTES:
                return AttributeValue.builder()
                        .b(SdkBytes.fromByteArray((byte[]) value))
                        .build();
            case ARRAY:
                List<AttributeValue> items = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    // a multi-dimensional array arrives as nested lists of the same element type
                    items.add(element instanceof List ? of(type, element) : of(type.element(), element));
                }
                return AttributeValue.builder().l(items).build();
            default:
                throw new IllegalArgumentException("no DynamoDB mapping for " + kind);
        }
    }

    /** N if DynamoDB can hold {@code d} exactly, else S of its plain text. */
    public static AttributeValue number(BigDecimal d) {
        return fitsNumber(d) ? n(d.toPlainString()) : s(d.toPlainString());
    }

    /** True if {@code d} has at most 38 significant digits and a magnitude N accepts. */
    public static boolean fitsNumber(BigDecimal d) {
        if (d.signum() == 0) {
            return true;
        }
        BigDecimal s = d.stripTrailingZeros();
        int exponent = s.precision() - s.scale() - 1; // d = m × 10^exponent with 1 <= |m| < 10
        return s.precision() <= 38 && exponent >= -130 && exponent <= 125;
    }

    private static AttributeValue floating(double d, Object original) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return s(original.toString());
        }
        // Float.toString / Double.toString give the shortest text that reads back to the same value
        return number(new BigDecimal(original.toString()));
    }

    static boolean isNumericSource(ColumnType type) {
        String source = type.sourceType().toLowerCase(Locale.ROOT);
        return source.equals("numeric") || source.equals("decimal");
    }

    /** An unconstrained numeric arrives as text: N when it parses and fits, else its text (NaN, …). */
    private static AttributeValue numericText(String text) {
        try {
            return number(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return s(text);
        }
    }

    /**
     * A JSON document as nested M/L/S/N/BOOL/NULL; a top-level scalar becomes that scalar. A document
     * nested deeper than {@link #MAX_JSON_DEPTH} levels is S of its text: DynamoDB rejects an item whose
     * attributes nest deeper than 32 levels.
     */
    public static AttributeValue json(String document) {
        try {
            JsonNode node = JSON.readTree(document);
            if (depth(node, 0) > MAX_JSON_DEPTH) {
                return s(document);
            }
            return json(node);
        } catch (JsonProcessingException e) {
            // PostgreSQL only hands out valid JSON; keep anything else as its text, never drop it
            return s(document);
        }
    }

    /** Levels of M and L a document may take: DynamoDB allows 32, and the item's own map is one. */
    static final int MAX_JSON_DEPTH = 31;

    private static int depth(JsonNode node, int level) {
        if (!node.isContainerNode() || level > MAX_JSON_DEPTH) {
            return level;
        }
        int deepest = level + 1;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child, level + 1));
        }
        return deepest;
    }

    private static AttributeValue json(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    m.put(field.getKey(), json(field.getValue()));
                }
                return AttributeValue.builder().m(m).build();
            case ARRAY:
                List<AttributeValue> l = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    l.add(json(element));
                }
                return AttributeValue.builder().l(l).build();
            case NUMBER:
                return number(node.decimalValue());
            case BOOLEAN:
                return AttributeValue.builder().bool(node.booleanValue()).build();
            case NULL:
                return NULL;
            default:
                return s(node.asText());
        }
    }

    static AttributeValue s(String text) {
        return AttributeValue.builder().s(text).build();
    }

    static AttributeValue n(String text) {
        return AttributeValue.builder().n(text).build();
    }
}
