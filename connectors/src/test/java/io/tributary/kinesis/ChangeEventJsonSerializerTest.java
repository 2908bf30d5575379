package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.SpecialValue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ChangeEventJsonSerializerTest {
    static final Path FORMATS = Path.of("..", "docs", "formats");
    /** Run with -Dtributary.writeExamples=true to regenerate docs/formats/examples from the fixtures. */
    private static final boolean WRITE_EXAMPLES = Boolean.getBoolean("tributary.writeExamples");

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final ChangeEventJsonSerializer defaults = new ChangeEventJsonSerializer(KinesisRecordFormat.DEFAULT);
    private final ChangeEventJsonSerializer dms = new ChangeEventJsonSerializer(KinesisRecordFormat.DMS);

    @Test
    void defaultFormatKeepsEveryValueKindsFidelity() throws IOException {
        JsonNode r = JSON.readTree(defaults.serialize(KinesisFixtures.update()));

        assertThat(r.get("eventId").asText()).isEqualTo(KinesisFixtures.update().eventId());
        assertThat(r.get("op").asText()).isEqualTo("UPDATE");
        assertThat(r.get("table").asText()).isEqualTo("shop.orders");
        assertThat(r.get("key").toString()).isEqualTo("{\"id\":42}");
        assertThat(r.get("txId").asLong()).isEqualTo(1234);
        assertThat(r.get("lsn").asText()).isEqualTo("0/16B3748");
        assertThat(r.get("commitTs").asText()).isEqualTo("2026-11-23T10:15:30.123456Z");
        assertThat(r.get("snapshot").asBoolean()).isFalse();

        JsonNode old = r.get("old");
        assertThat(old.get("total").isNumber()).isTrue();
        assertThat(old.get("total").decimalValue().toPlainString()).isEqualTo("12345678901234567890.123456789");
        assertThat(r.get("new").get("total").decimalValue().toPlainString()).isEqualTo("0.000000001");
        assertThat(old.get("paid").booleanValue()).isTrue();
        assertThat(old.get("lines").intValue()).isEqualTo(3);
        assertThat(old.get("weight").toString()).isEqualTo("0.1");
        assertThat(old.get("score").toString()).isEqualTo("0.0025");
        assertThat(old.get("note").asText()).isEqualTo("bolt \"M8\" \u00e9");
        assertThat(old.get("ref").asText()).isEqualTo("6f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6");
        assertThat(old.get("attrs").isObject()).isTrue();
        assertThat(old.get("attrs").toString()).isEqualTo("{\"color\":\"red\",\"sizes\":[8,10],\"n\":null}");
        assertThat(old.get("due").asText()).isEqualTo("2026-11-30");
        assertThat(old.get("slot").asText()).isEqualTo("09:05:00.000120");
        assertThat(old.get("local_at").asText()).isEqualTo("2026-11-23T10:15:30.123456");
        assertThat(old.get("placed_at").asText()).isEqualTo("2026-11-23T10:15:30.123456Z");
        assertThat(old.get("receipt").asText()).isEqualTo("cmVjZWlwdA==");
        assertThat(old.get("tags").toString()).isEqualTo("[\"a\",null,\"c/d\"]");
        assertThat(new String(defaults.serialize(KinesisFixtures.update()), StandardCharsets.UTF_8))
                .contains("\"amounts\":[1.50,-0.01]");
    }

    @Test
    void decimalsAreWrittenExactlyNotThroughADouble() {
        String json = new String(defaults.serialize(KinesisFixtures.insert()), StandardCharsets.UTF_8);
        assertThat(json).contains("\"total\":12345678901234567890.123456789");
    }

    @Test
    void imagesFollowTheOperation() throws IOException {
        JsonNode insert = JSON.readTree(defaults.serialize(KinesisFixtures.insert()));
        assertThat(insert.get("old").isNull()).isTrue();
        assertThat(insert.get("new").get("qty").intValue()).isEqualTo(1);

        JsonNode delete = JSON.readTree(defaults.serialize(KinesisFixtures.delete()));
        assertThat(delete.get("new").isNull()).isTrue();
        assertThat(delete.get("old").get("qty").intValue()).isEqualTo(2);
        assertThat(delete.get("key").get("id").longValue()).isEqualTo(42);

        JsonNode snapshot = JSON.readTree(defaults.serialize(KinesisFixtures.snapshot()));
        assertThat(snapshot.get("op").asText()).isEqualTo("INSERT");
        assertThat(snapshot.get("snapshot").booleanValue()).isTrue();
    }

    @Test
    void dmsFormatPutsImagesAndMetadataWhereDmsDoes() throws IOException {
        JsonNode update = JSON.readTree(dms.serialize(KinesisFixtures.update()));
        assertThat(update.get("data").get("qty").intValue()).isEqualTo(2);
        assertThat(update.get("before-image").get("qty").intValue()).isEqualTo(1);
        JsonNode meta = update.get("metadata");
        assertThat(meta.get("record-type").asText()).isEqualTo("data");
        assertThat(meta.get("operation").asText()).isEqualTo("update");
        assertThat(meta.get("partition-key-type").asText()).isEqualTo("primary-key");
        assertThat(meta.get("schema-name").asText()).isEqualTo("shop");
        assertThat(meta.get("table-name").asText()).isEqualTo("orders");
        assertThat(meta.get("transaction-id").asLong()).isEqualTo(1234);
        assertThat(meta.get("commit-timestamp").asText()).isEqualTo("2026-11-23T10:15:30.123456Z");
        assertThat(meta.get("stream-position").asText()).isEqualTo("0/16B3748:0/16B3700");
        assertThat(meta.get("event-id").asText())
                .isEqualTo(KinesisFixtures.update().eventId());

        JsonNode delete = JSON.readTree(dms.serialize(KinesisFixtures.delete()));
        assertThat(delete.get("data").get("qty").intValue()).isEqualTo(2);
        assertThat(delete.has("before-image")).isFalse();
        assertThat(delete.get("metadata").get("operation").asText()).isEqualTo("delete");

        assertThat(JSON.readTree(dms.serialize(KinesisFixtures.snapshot()))
                        .get("metadata")
                        .get("operation")
                        .asText())
                .isEqualTo("load");
        assertThat(JSON.readTree(dms.serialize(KinesisFixtures.insert()))
                        .get("metadata")
                        .get("operation")
                        .asText())
                .isEqualTo("insert");
    }

    @Test
    void truncateIsATableEventInTheDefaultFormatAndAControlRecordInDms() throws IOException {
        ChangeEvent truncate = KinesisFixtures.truncate();
        JsonNode r = JSON.readTree(defaults.serialize(truncate));
        assertThat(r.get("op").asText()).isEqualTo("TRUNCATE");
        assertThat(r.get("table").asText()).isEqualTo("shop.orders");
        assertThat(r.get("key").size()).isZero();
        assertThat(r.get("old").isNull()).isTrue();
        assertThat(r.get("new").isNull()).isTrue();
        assertThat(r.get("eventId").asText()).isEqualTo(truncate.eventId());
        assertThat(r.get("lsn").asText()).isEqualTo("0/16B3748");
        assertThat(r.get("txId").asLong()).isEqualTo(1234);
        assertThat(KinesisPartitionKeys.of(truncate)).isEqualTo("shop.orders");

        JsonNode d = JSON.readTree(dms.serialize(truncate));
        assertThat(d.has("data")).isFalse();
        assertThat(d.has("before-image")).isFalse();
        JsonNode meta = d.get("metadata");
        assertThat(meta.get("record-type").asText()).isEqualTo("control");
        assertThat(meta.get("operation").asText()).isEqualTo("truncate-table");
        assertThat(meta.get("schema-name").asText()).isEqualTo("shop");
        assertThat(meta.get("table-name").asText()).isEqualTo("orders");
        assertThat(meta.get("stream-position").asText()).isEqualTo("0/16B3748:0/16B3748");
        assertThat(meta.get("event-id").asText()).isEqualTo(truncate.eventId());
    }

    @Test
    void everyRecordOfBothFormatsMatchesItsSchema() throws IOException {
        JsonSchema defaultSchema = schema("kinesis-record.schema.json");
        JsonSchema dmsSchema = schema("kinesis-record-dms.schema.json");
        for (ChangeEvent e : examples().values()) {
            assertValid(defaultSchema, defaults.serialize(e));
            assertValid(dmsSchema, dms.serialize(e));
        }
        ChangeEvent allNulls =
                KinesisFixtures.event(Op.UPDATE, KinesisFixtures.nulls(1), KinesisFixtures.nulls(1), false);
        assertValid(defaultSchema, defaults.serialize(allNulls));
        assertValid(dmsSchema, dms.serialize(allNulls));
    }

    @Test
    void unknownColumnsAreListedOnlyWhenThereAreSome() throws IOException {
        Row after = KinesisFixtures.row(42, 2, "1.00");
        Object[] values = after.toArray();
        values[7] = null;
        values[9] = null;
        ChangeEvent partly = KinesisFixtures.update().toBuilder()
                .after(Row.wrap(values))
                .unknownColumns(7, 9)
                .build();
        String[] names = {
            partly.schema().column(7).name(), partly.schema().column(9).name()
        };

        JsonNode record = JSON.readTree(defaults.serialize(partly));
        assertThat(record.get("unknownColumns")).extracting(JsonNode::asText).containsExactly(names);
        assertThat(record.get("new").get(names[0]).isNull()).isTrue();
        JsonNode dmsRecord = JSON.readTree(dms.serialize(partly));
        assertThat(dmsRecord.get("metadata").get("unknown-columns"))
                .extracting(JsonNode::asText)
                .containsExactly(names);
        assertValid(schema("kinesis-record.schema.json"), defaults.serialize(partly));
        assertValid(schema("kinesis-record-dms.schema.json"), dms.serialize(partly));

        assertThat(JSON.readTree(defaults.serialize(KinesisFixtures.update())).has("unknownColumns"))
                .isFalse();
        assertThat(JSON.readTree(dms.serialize(KinesisFixtures.update()))
                        .get("metadata")
                        .has("unknown-columns"))
                .isFalse();
    }

    @Test
    void schemasRejectRecordsThatBreakTheirRules() throws IOException {
        JsonNode insert = JSON.readTree(defaults.serialize(KinesisFixtures.insert()));
        ((ObjectNode) insert).put("op", "DELETE");
        assertThat(schema("kinesis-record.schema.json").validate(insert)).isNotEmpty();

        JsonNode update = JSON.readTree(dms.serialize(KinesisFixtures.update()));
        ((ObjectNode) update).remove("before-image");
        assertThat(schema("kinesis-record-dms.schema.json").validate(update)).isNotEmpty();

        JsonNode truncate = JSON.readTree(defaults.serialize(KinesisFixtures.truncate()));
        ((ObjectNode) truncate).putObject("new");
        assertThat(schema("kinesis-record.schema.json").validate(truncate))
                .as("a TRUNCATE has no image")
                .isNotEmpty();
        JsonNode noKey = JSON.readTree(defaults.serialize(KinesisFixtures.insert()));
        ((ObjectNode) noKey).putObject("key");
        assertThat(schema("kinesis-record.schema.json").validate(noKey))
                .as("only a TRUNCATE has no key")
                .isNotEmpty();
        JsonNode dmsTruncate = JSON.readTree(dms.serialize(KinesisFixtures.truncate()));
        ((ObjectNode) dmsTruncate).putObject("data");
        assertThat(schema("kinesis-record-dms.schema.json").validate(dmsTruncate))
                .isNotEmpty();
        JsonNode dmsNoData = JSON.readTree(dms.serialize(KinesisFixtures.insert()));
        ((ObjectNode) dmsNoData).remove("data");
        assertThat(schema("kinesis-record-dms.schema.json").validate(dmsNoData)).isNotEmpty();
    }

    @Test
    void documentedExamplesAreWhatTheSerializerWrites() throws IOException {
        for (Map.Entry<String, ChangeEvent> example : examples().entrySet()) {
            check("examples/" + example.getKey() + ".json", defaults.serialize(example.getValue()));
            check("examples/dms-" + example.getKey() + ".json", dms.serialize(example.getValue()));
        }
    }

    @Test
    void nonFiniteFloatsAreStringsAndMismatchedValuesAreRejected() throws IOException {
        Object[] v = KinesisFixtures.row(1, 1, "1").toArray();
        v[5] = Double.NaN;
        v[4] = Float.NEGATIVE_INFINITY;
        JsonNode r = JSON.readTree(defaults.serialize(KinesisFixtures.event(Op.INSERT, null, Row.wrap(v), false)));
        assertThat(r.get("new").get("score").asText()).isEqualTo("NaN");
        assertThat(r.get("new").get("weight").asText()).isEqualTo("-Infinity");

        Object[] bad = KinesisFixtures.row(1, 1, "1").toArray();
        bad[3] = "not an int";
        ChangeEvent broken = KinesisFixtures.event(Op.INSERT, null, Row.wrap(bad), false);
        assertThatThrownBy(() -> defaults.serialize(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column qty");
    }

    private static Map<String, ChangeEvent> examples() {
        Map<String, ChangeEvent> m = new LinkedHashMap<>();
        m.put("insert", KinesisFixtures.insert());
        m.put("update", KinesisFixtures.update());
        m.put("delete", KinesisFixtures.delete());
        m.put("snapshot", KinesisFixtures.snapshot());
        m.put("truncate", KinesisFixtures.truncate());
        return m;
    }

    private static void check(String file, byte[] record) throws IOException {
        Path path = FORMATS.resolve(file);
        String pretty = pretty(record);
        if (WRITE_EXAMPLES) {
            Files.createDirectories(path.getParent());
            Files.writeString(path, pretty);
        }
        assertThat(Files.readString(path)).as(file).isEqualTo(pretty);
    }

    /** Indents the record token by token, keeping every number's text exactly as written. */
    private static String pretty(byte[] record) throws IOException {
        StringWriter out = new StringWriter();
        JsonFactory factory = JSON.getFactory();
        try (JsonParser p = factory.createParser(record);
                JsonGenerator g = factory.createGenerator(out)
                        .useDefaultPrettyPrinter()
                        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)) {
            while (p.nextToken() != null) {
                g.copyCurrentEventExact(p);
            }
        }
        return out + "\n";
    }

    static JsonSchema schema(String file) throws IOException {
        try (InputStream in = Files.newInputStream(FORMATS.resolve(file))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    static void assertValid(JsonSchema schema, byte[] record) throws IOException {
        Set<ValidationMessage> errors = schema.validate(JSON.readTree(record));
        assertThat(errors).as(new String(record, StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void specialValuesAndFarYearsAreWrittenAsPostgresSpellsThem() throws IOException {
        Object[] v = KinesisFixtures.row(7, 1, "1").toArray();
        v[6] = SpecialValue.NAN;
        v[10] = SpecialValue.NEGATIVE_INFINITY;
        v[11] = SpecialValue.END_OF_DAY;
        v[12] = LocalDateTime.of(-44, 3, 15, 12, 0);
        v[13] = SpecialValue.POSITIVE_INFINITY;
        ChangeEvent e = KinesisFixtures.event(Op.INSERT, null, Row.of(v), false);
        for (ChangeEventJsonSerializer serializer : List.of(defaults, dms)) {
            JsonNode r = JSON.readTree(serializer.serialize(e));
            JsonNode row = r.has("new") ? r.get("new") : r.get("data");
            assertThat(row.get("total").textValue()).isEqualTo("NaN");
            assertThat(row.get("due").textValue()).isEqualTo("-infinity");
            assertThat(row.get("slot").textValue()).isEqualTo("24:00:00");
            assertThat(row.get("local_at").textValue()).isEqualTo("-0044-03-15T12:00:00.000000");
            assertThat(row.get("placed_at").textValue()).isEqualTo("infinity");
        }
        assertValid(schema("kinesis-record.schema.json"), defaults.serialize(e));
        assertValid(schema("kinesis-record-dms.schema.json"), dms.serialize(e));
    }
}
