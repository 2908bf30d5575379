package io.tributary.s3;

import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link TableSchema} to and from JSON, as stored in each event log file's footer:
 * <pre>{"schema":"public","table":"widgets","key":["id"],
 *  "columns":[{"name":"id","nullable":false,"type":{"kind":"INT32","source":"int4"}},
 *             {"name":"price","nullable":true,"type":{"kind":"DECIMAL","source":"numeric","precision":10,"scale":2}},
 *             {"name":"tags","nullable":true,"type":{"kind":"ARRAY","source":"_text","element":{…}}}]}</pre>
 */
public final class TableSchemaJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TableSchemaJson() {}

    public static String toJson(TableSchema schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", schema.table().schema());
        root.put("table", schema.table().table());
        ArrayNode key = root.putArray("key");
        schema.keyColumns().forEach(key::add);
        ArrayNode columns = root.putArray("columns");
        for (Column c : schema.columns()) {
            ObjectNode col = columns.addObject();
            col.put("name", c.name());
            col.put("nullable", c.nullable());
            col.set("type", typeJson(c.type()));
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the schema of " + schema.table() + " as JSON", e);
        }
    }

    public static TableSchema fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a table schema JSON document: " + e.getOriginalMessage(), e);
        }
        List<Column> columns = new ArrayList<>();
        for (JsonNode c : required(root, "columns")) {
            columns.add(new Column(
                    required(c, "name").asText(),
                    type(required(c, "type")),
                    required(c, "nullable").asBoolean()));
        }
        List<String> key = new ArrayList<>();
        for (JsonNode k : required(root, "key")) {
            key.add(k.asText());
        }
        TableId table = new TableId(
                required(root, "schema").asText(), required(root, "table").asText());
        return new TableSchema(table, columns, key);
    }

    private static ObjectNode typeJson(ColumnType t) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", t.kind().name());
        node.put("source", t.sourceType());
        if (t.kind() == ValueKind.DECIMAL) {
            node.put("precision", t.precision());
            node.put("scale", t.scale());
        }
        if (t.kind() == ValueKind.ARRAY) {
            node.set("element", typeJson(t.element()));
        }
        return node;
    }

    private static ColumnType type(JsonNode node) {
        ValueKind kind = ValueKind.valueOf(required(node, "kind").asText());
        String source = required(node, "source").asText();
        switch (kind) {
            case DECIMAL:
                return ColumnType.decimal(
                        required(node, "precision").asInt(),
                        required(node, "scale").asInt(),
                        source);
            case ARRAY:
                return ColumnType.arrayOf(type(required(node, "element")), source);
            default:
                return ColumnType.of(kind, source);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("table schema JSON lacks \"" + field + "\" in " + node);
        }
        return v;
    }
}
