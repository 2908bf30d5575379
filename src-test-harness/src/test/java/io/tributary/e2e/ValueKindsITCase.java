package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kind of value PostgreSQL stores, end to end into each destination: one row per kind read by
 * the snapshot, the same values inserted again while the job streams, and an update whose old image
 * holds a special value. Each destination's value is checked against PostgreSQL's own text output of
 * the column ({@code col::text}) transformed by the rule docs/formats/README.md documents, never
 * against what our mapper makes of it.
 *
 * <p>Unconstrained numeric {@code ±Infinity} is in the snapshot only: Debezium 1.9.8 cannot decode it from
 * the stream (PostgresValueLimitsITCase proves that). Left out, because no option gets them past the
 * libraries (see the formats document): money from 1,000 up in the snapshot (pgjdbc; the start-up check
 * refuses it), and fractional seconds of time/timetz in the snapshot (pgjdbc reads java.sql.Time: millis).
 * Multi-dimensional arrays are covered by PostgresValueLimitsITCase.
 */
class ValueKindsITCase {
    private static final TableId TABLE = new TableId("public", "kinds");
    private static final String STREAM = "kinds";
    private static final int FIFTY_MB = 50 * 1024 * 1024;
    private static final int STREAMED = 1000;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(100_000)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** How a destination's value follows from PostgreSQL's text of it. */
    enum Rule {
        /** The typed log column is NULL, special_values holds PostgreSQL's text; JSON and DynamoDB S hold the text. */
        SPECIAL,
        /** Carried as text: the log string, the JSON string and DynamoDB's S are PostgreSQL's text. */
        TEXT,
        /** real/double NaN, ±Infinity: the log double; JSON string and DynamoDB S of PostgreSQL's text. */
        FLOAT,
        /** A date ISO-8601 (1 BC is year 0, years past 9999 signed); the log's day number equals PostgreSQL's. */
        DATE_ISO,
        /** A timestamp ISO-8601 with six fraction digits; the log's microseconds equal PostgreSQL's epoch. */
        TIMESTAMP_ISO,
        /** numeric(1000,0): the log a string, JSON an exact number, DynamoDB S (N holds 38 digits). */
        WIDE_DECIMAL,
        /** An int: log, JSON number and DynamoDB N. */
        INT,
        /** timetz in UTC, as Debezium writes it ({@code 16:44:15Z}). */
        TIMETZ_UTC,
        /** interval as ISO-8601 duration, PostgreSQL's {@code intervalstyle = iso_8601}. */
        INTERVAL_ISO,
        /** money as its plain amount, without currency symbol and separators. */
        MONEY,
        /** int[]: a list in the log, a JSON array, a DynamoDB L; NULL elements kept. */
        INT_ARRAY,
        /** jsonb nested 120 levels: embedded JSON, the log string, DynamoDB S of the text (it allows 32 levels). */
        DEEP_JSON,
        /** 50 MB: whole in the log; over the Kinesis and DynamoDB limits, so a dead letter in each. */
        HUGE
    }

    /** One value kind: the row's kind label, the column holding it, the SQL literal, the rule. */
    static final class Kind {
        final String name;
        final String column;
        final String literal;
        final Rule rule;
        /** Inserted before the job starts only: the stream cannot carry it. */
        final boolean snapshotOnly;

        Kind(String name, String column, String literal, Rule rule) {
            this(name, column, literal, rule, false);
        }

        Kind(String name, String column, String literal, Rule rule, boolean snapshotOnly) {
            this.name = name;
            this.column = column;
            this.literal = literal;
            this.rule = rule;
            this.snapshotOnly = snapshotOnly;
        }
    }

    static final List<Kind> KINDS = List.of(
            new Kind("numeric(10,2) NaN", "n_scaled", "'NaN'", Rule.SPECIAL),
            new Kind("numeric NaN", "n_free", "'NaN'", Rule.TEXT),
            new Kind("numeric Infinity", "n_free", "'Infinity'", Rule.TEXT, true),
            new Kind("numeric -Infinity", "n_free", "'-Infinity'", Rule.TEXT, true),
            new Kind("numeric 1000 digits", "n_free", "repeat('7', 1000)::numeric", Rule.TEXT),
            new Kind("numeric(1000,0) 1000 digits", "n_wide", "repeat('9', 1000)::numeric", Rule.WIDE_DECIMAL),
            new Kind("real NaN", "f4", "'NaN'", Rule.FLOAT),
            new Kind("double Infinity", "f8", "'Infinity'", Rule.FLOAT),
            new Kind("double -Infinity", "f8", "'-Infinity'", Rule.FLOAT),
            new Kind("timestamp infinity", "ts", "'infinity'", Rule.SPECIAL),
            new Kind("timestamp -infinity", "ts", "'-infinity'", Rule.SPECIAL),
            new Kind("timestamptz infinity", "tstz", "'infinity'", Rule.SPECIAL),
            new Kind("timestamptz -infinity", "tstz", "'-infinity'", Rule.SPECIAL),
            new Kind("date infinity", "d", "'infinity'", Rule.SPECIAL),
            new Kind("date -infinity", "d", "'-infinity'", Rule.SPECIAL),
            new Kind("date BC", "d", "'0044-03-15 BC'", Rule.DATE_ISO),
            new Kind("date before the Gregorian reform", "d", "'1500-03-01'", Rule.DATE_ISO),
            new Kind("date after 9999", "d", "'10000-01-01'", Rule.DATE_ISO),
            new Kind("timestamp BC", "ts", "'0044-03-15 12:00:00 BC'", Rule.TIMESTAMP_ISO),
            new Kind("time 24:00:00", "t", "'24:00:00'", Rule.SPECIAL),
            new Kind("timetz", "ttz", "'13:14:15-03:30'", Rule.TIMETZ_UTC),
            new Kind("interval", "iv", "'1 year 2 mons 3 days 04:05:06.5'", Rule.INTERVAL_ISO),
            new Kind("money", "cash", "12.34", Rule.MONEY),
            new Kind("bit(3)", "b3", "B'101'", Rule.TEXT),
            new Kind("varbit", "vb", "B'0010'", Rule.TEXT),
            new Kind("enum", "mood_v", "'happy'", Rule.TEXT),
            new Kind("domain over int", "dom", "5", Rule.INT),
            new Kind("range", "rng", "'(,5]'", Rule.TEXT),
            new Kind("composite", "comp", "ROW(1, 'a b')", Rule.TEXT),
            new Kind("empty array", "ints", "'{}'", Rule.INT_ARRAY),
            new Kind("array with NULLs", "ints", "'{1,NULL,3}'", Rule.INT_ARRAY),
            new Kind("jsonb 120 levels", "doc", "(repeat('[', 120) || repeat(']', 120))::jsonb", Rule.DEEP_JSON),
            new Kind("text 50 MB", "big_text", "repeat('x', " + FIFTY_MB + ")", Rule.HUGE),
            new Kind("bytea 50 MB", "big_bytes", "convert_to(repeat('y', " + FIFTY_MB + "), 'UTF8')", Rule.HUGE));

    @Test
    void everyValueKindArrivesInEveryDestinationByItsRule(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("value_kinds");
            pg.executeIn(
                    db,
                    "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                    "CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
                    "CREATE TYPE pair AS (a int, b text)",
                    "CREATE TABLE kinds (id int PRIMARY KEY, kind text NOT NULL, n_scaled numeric(10,2), n_free numeric,"
                            + " n_wide numeric(1000,0), f4 real, f8 float8, ts timestamp, tstz timestamptz, d date,"
                            + " t time, ttz timetz, iv interval, cash money, b3 bit(3), vb varbit, mood_v mood,"
                            + " dom posint, rng int4range, comp pair, ints int[], doc jsonb, big_text text, big_bytes bytea)");
            insertKinds(pg, db, 0);
            kinesis.createStream(STREAM, 1);
            DynamoDbTableMapping mapping = DynamoDbTableMapping.parse("public.kinds=kinds;partition=id:N");
            dynamo.createTables(List.of(mapping));
            Path log = dir.resolve("log");
            Path deadLetters = dir.resolve("dead");
            JobConfig config = config(pg, db, log, deadLetters, kinesis.endpoint(), dynamo.endpoint());

            try (PipelineRun run = PipelineRun.start(
                            config,
                            ProductionEndpoints.create(config),
                            PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                            1);
                    EventLogDuckDb duck = EventLogDuckDb.open(log)) {
                awaitLogEvents(duck, log, KINDS.size(), run);
                insertKinds(pg, db, STREAMED);
                pg.executeIn(db, "UPDATE kinds SET kind = kind || ' (updated)' WHERE id = 1");
                int rows = KINDS.size()
                        + (int) KINDS.stream().filter(k -> !k.snapshotOnly).count();
                int events = rows + 1;
                awaitLogEvents(duck, log, events, run);

                Map<String, JsonNode> records = awaitKinesis(kinesis, events - 4, run);
                awaitDynamoDb(dynamo, rows - 4, run);
                try (Connection c = pg.connect(db)) {
                    for (int i = 0; i < KINDS.size(); i++) {
                        Kind k = KINDS.get(i);
                        for (int id : k.snapshotOnly ? new int[] {i + 1} : new int[] {i + 1, STREAMED + i + 1}) {
                            assertKind(k, id, c, duck, records, dynamo, deadLetters);
                        }
                    }
                }
                assertUpdateCarriesTheSpecialOldImage(duck, records);
            }
        }
    }

    private static void insertKinds(PostgresStandIn pg, String db, int idBase) {
        for (int i = 0; i < KINDS.size(); i++) {
            Kind k = KINDS.get(i);
            if (idBase > 0 && k.snapshotOnly) {
                continue;
            }
            pg.executeIn(
                    db,
                    "INSERT INTO kinds (id, kind, " + k.column + ") VALUES (" + (idBase + i + 1) + ", '" + k.name
                            + "', " + k.literal + ")");
        }
    }

    private static void assertKind(
            Kind k,
            int id,
            Connection pg,
            EventLogDuckDb duck,
            Map<String, JsonNode> records,
            DynamoDbStandIn dynamo,
            Path deadLetters)
            throws Exception {
        String what = k.name + " (id " + id + (id > STREAMED ? ", streamed)" : ", snapshot)");
        String text = pgText(pg, "SELECT " + k.column + "::text FROM kinds WHERE id = " + id);
        Map<String, Object> logged = duck.query("SELECT CAST(\"" + k.column + "\" AS VARCHAR) AS v, \"" + k.column
                        + "\" AS raw, map_keys(special_values) AS sk, map_values(special_values) AS sv, event_id FROM "
                        + duck.relation(TABLE) + " WHERE id = " + id + " AND op = 'I'")
                .get(0);
        Map<String, String> special = specialValues(logged);
        JsonNode json = records.containsKey(id + "/I")
                ? records.get(id + "/I").get("new").get(k.column)
                : null;
        Map<String, AttributeValue> item = dynamo.client()
                .getItem(r -> r.tableName("kinds")
                        .key(Map.of("id", AttributeValue.fromN(Integer.toString(id))))
                        .consistentRead(true))
                .item();
        AttributeValue attr = item == null || item.isEmpty() ? null : item.get(k.column);
        if (k.rule != Rule.HUGE) {
            assertThat(json).as("JSON of %s", what).isNotNull();
            assertThat(attr).as("DynamoDB attribute of %s", what).isNotNull();
        }
        if (k.rule != Rule.SPECIAL) {
            assertThat(special).as("special_values of %s", what).isEmpty();
        }
        switch (k.rule) {
            case SPECIAL:
                assertThat(logged.get("v")).as("typed log column of %s", what).isNull();
                assertThat(special).as("special_values of %s", what).containsExactly(Map.entry(k.column, text));
                assertThat(json.textValue()).as("JSON of %s", what).isEqualTo(text);
                assertThat(attr.s()).as("DynamoDB S of %s", what).isEqualTo(text);
                break;
            case TEXT:
                assertText(what, text, logged.get("v"), json, attr);
                break;
            case FLOAT:
                assertThat(Double.compare(((Number) logged.get("raw")).doubleValue(), Double.parseDouble(text)))
                        .as("log double of %s: %s", what, logged.get("raw"))
                        .isZero();
                assertThat(json.textValue()).as("JSON of %s", what).isEqualTo(text);
                assertThat(attr.s()).as("DynamoDB S of %s", what).isEqualTo(text);
                break;
            case DATE_ISO: {
                String iso = isoDate(text);
                assertThat(json.textValue()).as("JSON of %s", what).isEqualTo(iso);
                assertThat(attr.s()).as("DynamoDB S of %s", what).isEqualTo(iso);
                long pgDays = Long.parseLong(pgText(pg, "SELECT d - DATE '1970-01-01' FROM kinds WHERE id = " + id));
                assertThat(duck.query("SELECT CAST(d - DATE '1970-01-01' AS BIGINT) AS days FROM "
                                        + duck.relation(TABLE) + " WHERE id = " + id + " AND op = 'I'")
                                .get(0)
                                .get("days"))
                        .as("log days of %s", what)
                        .isEqualTo(pgDays);
                break;
            }
            case TIMESTAMP_ISO: {
                String iso = isoDate(text.replace(" BC", "").split(" ")[0] + (text.endsWith(" BC") ? " BC" : "")) + "T"
                        + text.split(" ")[1] + ".000000";
                assertThat(json.textValue()).as("JSON of %s", what).isEqualTo(iso);
                assertThat(attr.s()).as("DynamoDB S of %s", what).isEqualTo(iso);
                long pgMicros = Long.parseLong(pgText(
                        pg, "SELECT (extract(epoch FROM ts) * 1000000)::bigint FROM kinds" + " WHERE id = " + id));
                assertThat(duck.query("SELECT epoch_us(ts) AS us FROM " + duck.relation(TABLE) + " WHERE id = " + id
                                        + " AND op = 'I'")
                                .get(0)
                                .get("us"))
                        .as("log micros of %s", what)
                        .isEqualTo(pgMicros);
                break;
            }
            case WIDE_DECIMAL:
                assertThat(logged.get("v")).as("log of %s", what).isEqualTo(text);
                assertThat(json.isNumber()).as("JSON of %s is a number", what).isTrue();
                assertThat(json.decimalValue().toPlainString())
                        .as("JSON of %s", what)
                        .isEqualTo(text);
                assertThat(attr.s()).as("DynamoDB S of %s", what).isEqualTo(text);
                break;
            case INT:
                assertThat(logged.get("v")).as("log of %s", what).isEqualTo(text);
                assertThat(json.longValue()).as("JSON of %s", what).isEqualTo(Long.parseLong(text));
                assertThat(attr.n()).as("DynamoDB N of %s", what).isEqualTo(text);
                break;
            case TIMETZ_UTC:
                assertText(
                        what,
                        OffsetTime.parse(text)
                                .withOffsetSameInstant(ZoneOffset.UTC)
                                .format(DateTimeFormatter.ISO_OFFSET_TIME),
                        logged.get("v"),
                        json,
                        attr);
                break;
            case INTERVAL_ISO: {
                String iso;
                try (Statement s = pg.createStatement()) {
                    s.execute("SET intervalstyle = 'iso_8601'");
                    iso = pgText(pg, "SELECT iv::text FROM kinds WHERE id = " + id);
                    s.execute("RESET intervalstyle");
                }
                assertText(what, iso, logged.get("v"), json, attr);
                break;
            }
            case MONEY:
                assertText(what, text.replace("$", "").replace(",", ""), logged.get("v"), json, attr);
                break;
            case INT_ARRAY: {
                JsonNode expected =
                        JSON.readTree("[" + text.substring(1, text.length() - 1).replace("NULL", "null") + "]");
                assertThat(json).as("JSON of %s", what).isEqualTo(expected);
                assertThat(JSON.readTree(duck.query("SELECT CAST(to_json(ints) AS VARCHAR) AS j FROM "
                                        + duck.relation(TABLE) + " WHERE id = " + id + " AND op = 'I'")
                                .get(0)
                                .get("j")
                                .toString()))
                        .as("log of %s", what)
                        .isEqualTo(expected);
                List<AttributeValue> list = new ArrayList<>();
                for (JsonNode e : expected) {
                    list.add(e.isNull() ? AttributeValue.fromNul(true) : AttributeValue.fromN(e.asText()));
                }
                assertThat(attr.l()).as("DynamoDB L of %s", what).isEqualTo(list);
                break;
            }
            case DEEP_JSON:
                assertThat(logged.get("v")).as("log of %s", what).isEqualTo(text);
                assertThat(json).as("JSON of %s", what).isEqualTo(JSON.readTree(text));
                assertThat(attr.s()).as("DynamoDB S of %s", what).isEqualTo(text);
                break;
            case HUGE: {
                String length = k.column.equals("big_text") ? "length" : "octet_length";
                long pgLength = Long.parseLong(
                        pgText(pg, "SELECT " + length + "(" + k.column + ") FROM kinds WHERE id = " + id));
                assertThat(duck.query("SELECT CAST(" + length + "(" + k.column + ") AS BIGINT) AS n FROM "
                                        + duck.relation(TABLE) + " WHERE id = " + id + " AND op = 'I'")
                                .get(0)
                                .get("n"))
                        .as("log length of %s", what)
                        .isEqualTo(pgLength);
                assertThat(json).as("no Kinesis record for %s", what).isNull();
                assertThat(attr).as("no DynamoDB item for %s", what).isNull();
                String eventId = logged.get("event_id").toString();
                for (String destination : new String[] {"kinesis", "dynamodb"}) {
                    assertThat(deadLetters
                                    .resolve(destination)
                                    .resolve(TABLE.toString())
                                    .resolve(eventId + ".json"))
                            .as("%s dead letter of %s", destination, what)
                            .exists();
                }
                break;
            }
            default:
                throw new IllegalStateException("no check for " + k.rule);
        }
    }

    private static void assertText(String what, String expected, Object logged, JsonNode json, AttributeValue attr) {
        assertThat(logged).as("log of %s", what).isEqualTo(expected);
        assertThat(json.textValue()).as("JSON of %s", what).isEqualTo(expected);
        assertThat(attr.s()).as("DynamoDB S of %s", what).isEqualTo(expected);
    }

    /** The update of row 1 (numeric(10,2) NaN): its old and new image both hold NaN in special_values. */
    private static void assertUpdateCarriesTheSpecialOldImage(EventLogDuckDb duck, Map<String, JsonNode> records)
            throws SQLException {
        Map<String, String> special = specialValues(
                duck.query("SELECT map_keys(special_values) AS sk," + " map_values(special_values) AS sv FROM "
                                + duck.relation(TABLE) + " WHERE id = 1 AND op = 'U'")
                        .get(0));
        assertThat(special).containsOnly(Map.entry("n_scaled", "NaN"), Map.entry("old_image.n_scaled", "NaN"));
        JsonNode update = records.get("1/U");
        assertThat(update.get("old").get("n_scaled").textValue()).isEqualTo("NaN");
        assertThat(update.get("new").get("n_scaled").textValue()).isEqualTo("NaN");
    }

    /** PostgreSQL's ISO-8601 date: {@code 0044-03-15 BC} is year -43 (1 BC is year 0), years past 9999 signed. */
    static String isoDate(String pgDate) {
        boolean bc = pgDate.endsWith(" BC");
        String[] parts = pgDate.replace(" BC", "").split("-");
        long year = Long.parseLong(parts[0]);
        year = bc ? 1 - year : year;
        String y = year < 0 ? String.format("-%04d", -year) : year > 9999 ? "+" + year : String.format("%04d", year);
        return y + "-" + parts[1] + "-" + parts[2];
    }

    private static Map<String, String> specialValues(Map<String, Object> row) {
        Map<String, String> out = new HashMap<>();
        List<?> keys = (List<?>) row.get("sk");
        List<?> values = (List<?>) row.get("sv");
        for (int i = 0; keys != null && i < keys.size(); i++) {
            out.put(keys.get(i).toString(), values.get(i).toString());
        }
        return out;
    }

    private static String pgText(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void awaitLogEvents(EventLogDuckDb duck, Path log, int events, PipelineRun run) throws Exception {
        long[] seen = {0};
        Deadline.of(Duration.ofMinutes(4))
                .await(() -> "event log to hold " + events + " events; it holds " + seen[0], () -> {
                    run.assertAlive();
                    if (!Files.isDirectory(log.resolve(TABLE.toString()))) {
                        return false;
                    }
                    try (var files = Files.walk(log.resolve(TABLE.toString()))) {
                        if (files.noneMatch(p -> p.toString().endsWith(".parquet"))) {
                            return false;
                        }
                    }
                    // the snapshot's baseline TRUNCATE (a first start's re-baseline marker) is not a value row
                    seen[0] = ((Number) duck.query("SELECT count(*) AS n FROM " + duck.relation(TABLE)
                                            + " WHERE NOT (op = 'T' AND is_snapshot)")
                                    .get(0)
                                    .get("n"))
                            .longValue();
                    return seen[0] >= events;
                });
        assertThat(seen[0]).as("events in the log").isEqualTo(events);
    }

    /** Records by {@code id/op-letter}; waits for {@code count} distinct ones. */
    private static Map<String, JsonNode> awaitKinesis(KinesisStandIn kinesis, int count, PipelineRun run)
            throws Exception {
        KinesisTail tail = new KinesisTail(kinesis.client(), STREAM);
        Map<String, JsonNode> records = new HashMap<>();
        Deadline.of(Duration.ofMinutes(3))
                .await(() -> count + " records on the stream; " + records.size() + " so far", () -> {
                    run.assertAlive();
                    for (KinesisTail.TailRecord r : tail.poll()) {
                        JsonNode node = JSON.readTree(r.data);
                        if ("TRUNCATE".equals(node.get("op").asText())) {
                            assertThat(node.get("snapshot").asBoolean())
                                    .as("the only TRUNCATE is the snapshot baseline")
                                    .isTrue();
                            continue;
                        }
                        records.put(
                                node.get("key").get("id").asInt() + "/"
                                        + node.get("op").asText().charAt(0),
                                node);
                    }
                    return records.size() >= count;
                });
        return records;
    }

    private static void awaitDynamoDb(DynamoDbStandIn dynamo, int items, PipelineRun run) throws Exception {
        Deadline.of(Duration.ofMinutes(3)).await(() -> items + " items in the read model", () -> {
            run.assertAlive();
            return dynamo.scan("kinds").size() >= items;
        });
    }

    private static JobConfig config(
            PostgresStandIn pg, String db, Path log, Path deadLetters, String kinesisEndpoint, String dynamoEndpoint) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                Map.of(
                        "hostname",
                        pg.host(),
                        "port",
                        Integer.toString(pg.port()),
                        "database",
                        db,
                        "username",
                        PostgresStandIn.USER,
                        "password",
                        PostgresStandIn.PASSWORD,
                        "slot.name",
                        "value_kinds",
                        "publication.name",
                        "value_kinds",
                        "tables.include",
                        "public\\.kinds",
                        "heartbeat.interval",
                        "1 s"));
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        groups.put("dead-letters", Map.of("path", deadLetters.toUri().toString()));
        groups.put("sink.kinesis", KinesisStandIn.sinkGroup(kinesisEndpoint, STREAM));
        groups.put(
                "sink.dynamodb",
                Map.of(
                        "enabled",
                        "true",
                        "endpoint",
                        dynamoEndpoint,
                        "local",
                        "true",
                        "region",
                        DynamoDbStandIn.REGION,
                        "tables",
                        "public.kinds=kinds;partition=id:N"));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
