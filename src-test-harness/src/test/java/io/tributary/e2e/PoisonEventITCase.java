package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.progress.ProgressMetrics;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.verify.ReadModelVerifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No poison pill, end to end from PostgreSQL into the event log, Kinesis (kinesalite) and DynamoDB
 * (DynamoDB Local): a row whose item is over DynamoDB's 400 KB, a row whose record is over Kinesis's
 * 1 MiB are dead letters of the destinations that cannot take them, each a file holding the whole
 * event and its cause; the counters say so; and every other change, before and after, reaches every
 * destination, compared with the database's own rows. A jsonb value nested deeper than DynamoDB's 32
 * levels is no poison: the read model stores it as S, its text (docs/formats/README.md); DynamoDB's
 * own rejection of a too-deep item is pinned by {@code DynamoDbItemRejectionITCase}.
 */
class PoisonEventITCase {
    private static final String STREAM = "poison";
    private static final TableId TABLE = new TableId("public", "poison");
    private static final DynamoDbTableMapping MAPPING =
            DynamoDbTableMapping.parse("public.poison=poison;partition=id:N");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BIG_ITEM = 100;
    private static final int BIG_RECORD = 101;
    private static final int DEEP_JSON = 102;

    @Test
    void poisonEventsAreDeadLettersAndEveryLaterChangeArrives(@TempDir Path dir) throws Exception {
        ProgressMetrics.reset();
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("poison_events");
            try (Connection c = pg.connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE poison (id int PRIMARY KEY, body text, doc jsonb)");
                s.execute(
                        "INSERT INTO poison SELECT i, 'row ' || i, jsonb_build_object('i', i) FROM generate_series(1, 10) i");
            }
            kinesis.createStream(STREAM, 2);
            dynamo.createTables(List.of(MAPPING));
            Path log = dir.resolve("log");
            Path letters = dir.resolve("log-dead-letters");
            JobConfig config = config(pg, db, log, kinesis.endpoint(), dynamo.endpoint());

            try (PipelineRun run = PipelineRun.start(
                            config,
                            ProductionEndpoints.create(config),
                            PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                            2);
                    EventLogVerifier verifier = EventLogVerifier.open(log)) {
                Deadline.of(Duration.ofMinutes(3)).await("the 10 snapshot rows in the log", () -> {
                    EventLogEndToEndITCase.alive(run);
                    return verifier.total(TABLE) >= 10;
                });
                try (Connection c = pg.connect(db);
                        Statement s = c.createStatement()) {
                    s.execute("INSERT INTO poison VALUES (" + BIG_ITEM + ", (SELECT string_agg(md5(i::text), '')"
                            + " FROM generate_series(1, 16000) i), '{}')"); // 512 000 chars
                    s.execute("INSERT INTO poison VALUES (" + BIG_RECORD + ", (SELECT string_agg(md5(i::text), '')"
                            + " FROM generate_series(1, 40000) i), '{}')"); // 1 280 000 chars
                    s.execute("INSERT INTO poison VALUES (" + DEEP_JSON + ", 'deep', '" + "{\"n\":".repeat(40) + "1"
                            + "}".repeat(40) + "')");
                    // normal changes after the poison: inserts, updates, deletes
                    s.execute(
                            "INSERT INTO poison SELECT i, 'row ' || i, jsonb_build_object('i', i, 'tags', jsonb_build_array('a', i))"
                                    + " FROM generate_series(200, 239) i");
                    s.execute(
                            "UPDATE poison SET body = body || ' updated', doc = doc || '{\"u\": true}' WHERE id % 2 = 0 AND id < "
                                    + BIG_ITEM + " OR id BETWEEN 200 AND 214");
                    s.execute("DELETE FROM poison WHERE id IN (3, 7, 220, 221, 222)");
                }
                long expectedEvents = 10 + 3 + 40 + (5 + 15) + 5;
                Deadline.of(Duration.ofMinutes(3)).await(() -> "all " + expectedEvents + " events in the log", () -> {
                    EventLogEndToEndITCase.alive(run);
                    return verifier.total(TABLE) >= expectedEvents;
                });

                // the event log: every change once, each row's history whole, latest state = SELECT
                TableSchema schema = verifier.schemas().get(TABLE);
                assertThat(verifier.total(TABLE)).isEqualTo(expectedEvents);
                assertThat(verifier.duplicateEventIds(TABLE)).isEmpty();
                assertThat(verifier.chainViolations(schema)).isEmpty();
                try (Connection c = pg.connect(db)) {
                    assertThat(EventLogVerifier.differences(
                                    EventLogVerifier.databaseState(c, schema), verifier.latestState(schema), 10))
                            .as("log latest state vs SELECT")
                            .isEmpty();
                }
                Map<Integer, String> insertIds = new HashMap<>();
                Set<String> logIds = new HashSet<>();
                try (EventLogDuckDb duck = EventLogDuckDb.open(log)) {
                    for (Map<String, Object> r : duck.allEvents(TABLE)) {
                        logIds.add((String) r.get("event_id"));
                        if ("I".equals(r.get("op"))) {
                            insertIds.put(((Number) r.get("id")).intValue(), (String) r.get("event_id"));
                        }
                    }
                }

                // Kinesis: every event but the over-1-MiB one, each once after de-duplication
                Set<String> expectedOnStream = new HashSet<>(logIds);
                expectedOnStream.remove(insertIds.get(BIG_RECORD));
                Set<String> onStream = new HashSet<>();
                Map<Integer, JsonNode> lastPerRow = new HashMap<>();
                KinesisTail tail = new KinesisTail(kinesis.client(), STREAM);
                Deadline.of(Duration.ofMinutes(2))
                        .await(
                                () -> "every change but one on the stream; " + onStream.size() + " of "
                                        + expectedOnStream.size(),
                                () -> {
                                    EventLogEndToEndITCase.alive(run);
                                    for (KinesisTail.TailRecord r : tail.poll()) {
                                        JsonNode node = JSON.readTree(r.data);
                                        if (onStream.add(node.get("eventId").asText())
                                                && !"TRUNCATE"
                                                        .equals(node.get("op").asText())) {
                                            // (a TRUNCATE here is the snapshot's baseline: it has no row)
                                            int id = node.get("key").get("id").asInt();
                                            JsonNode last = lastPerRow.get(id);
                                            if (last == null || lsn(node) > lsn(last)) {
                                                lastPerRow.put(id, node);
                                            }
                                        }
                                    }
                                    return onStream.size() >= expectedOnStream.size();
                                });
                assertThat(onStream).isEqualTo(expectedOnStream);
                assertStreamEqualsTables(pg, db, lastPerRow);

                // DynamoDB: every row but the two poison ones equals SELECT (mapped by the sink's own mapper)
                ByteArrayOutputStream report = new ByteArrayOutputStream();
                ReadModelVerifier.TableResult[] result = new ReadModelVerifier.TableResult[1];
                Deadline.of(Duration.ofMinutes(2))
                        .await(
                                () -> "read model equal to SELECT but for the poison rows:\n"
                                        + report.toString(StandardCharsets.UTF_8),
                                () -> {
                                    report.reset();
                                    try (Connection c = pg.connect(db)) {
                                        result[0] = new ReadModelVerifier(
                                                        c,
                                                        dynamo.client(),
                                                        new PrintStream(report, true, StandardCharsets.UTF_8),
                                                        20)
                                                .verify(MAPPING);
                                    }
                                    return result[0].extra.isEmpty()
                                            && result[0].differing.isEmpty()
                                            && result[0].missing.isEmpty()
                                            && result[0].items == result[0].sourceRows - 2;
                                });
                AttributeValue deepDoc = dynamo.client()
                        .getItem(GetItemRequest.builder()
                                .tableName(MAPPING.targetTable())
                                .key(Map.of(
                                        "id",
                                        AttributeValue.builder()
                                                .n(Integer.toString(DEEP_JSON))
                                                .build()))
                                .build())
                        .item()
                        .get("doc");
                assertThat(JSON.readTree(deepDoc.s()))
                        .as("too deep for DynamoDB maps: stored as its text")
                        .isEqualTo(JSON.readTree(docText(pg, db, DEEP_JSON)));

                // dead letters: whole events, causes, counters
                String bigItemBody = body(pg, db, BIG_ITEM);
                String bigRecordBody = body(pg, db, BIG_RECORD);
                JsonNode k = letter(letters, "kinesis", insertIds.get(BIG_RECORD));
                assertThat(k.get("cause").asText()).contains("exceeds the Kinesis limit");
                assertThat(k.get("event").get("new").get("body").asText()).isEqualTo(bigRecordBody);
                JsonNode d100 = letter(letters, "dynamodb", insertIds.get(BIG_ITEM));
                assertThat(d100.get("cause").asText()).contains("400 KB");
                assertThat(d100.get("event").get("new").get("body").asText()).isEqualTo(bigItemBody);
                JsonNode d101 = letter(letters, "dynamodb", insertIds.get(BIG_RECORD));
                assertThat(d101.get("event").get("new").get("body").asText()).isEqualTo(bigRecordBody);
                assertThat(letters.resolve("dynamodb")
                                .resolve("public.poison")
                                .resolve(insertIds.get(DEEP_JSON) + ".json"))
                        .doesNotExist();
                for (JsonNode letter : List.of(k, d100, d101)) {
                    assertThat(letter.get("table").asText()).isEqualTo("public.poison");
                    assertThat(letter.get("event").get("op").asText()).isEqualTo("INSERT");
                    assertThat(letter.get("eventId").asText())
                            .isEqualTo(letter.get("event").get("eventId").asText());
                    assertThat(letter.get("commitLsn").asText())
                            .isEqualTo(letter.get("event").get("lsn").asText());
                }
                assertThat(ProgressMetrics.deadLetters())
                        .containsEntry("kinesis", 1L)
                        .containsEntry("dynamodb", 2L)
                        .containsEntry("eventlog", 0L);
            }
        }
    }

    /** The last record of each row on the stream equals the row as SELECT returns it; deleted rows end with a DELETE. */
    private static void assertStreamEqualsTables(PostgresStandIn pg, String db, Map<Integer, JsonNode> lastPerRow)
            throws Exception {
        Map<Integer, JsonNode> rows = new HashMap<>();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, body, doc::text FROM poison WHERE id <> " + BIG_RECORD)) {
            while (rs.next()) {
                rows.put(
                        rs.getInt(1),
                        JSON.createObjectNode()
                                .put("id", rs.getInt(1))
                                .put("body", rs.getString(2))
                                .set("doc", JSON.readTree(rs.getString(3))));
            }
        }
        for (Map.Entry<Integer, JsonNode> e : lastPerRow.entrySet()) {
            JsonNode expected = rows.get(e.getKey());
            if (expected == null) {
                assertThat(e.getValue().get("op").asText())
                        .as("last change of deleted row %s", e.getKey())
                        .isEqualTo("DELETE");
            } else {
                assertThat(e.getValue().get("new"))
                        .as("row %s on the stream vs SELECT", e.getKey())
                        .isEqualTo(expected);
            }
        }
        assertThat(lastPerRow.keySet()).as("rows on the stream").containsAll(rows.keySet());
    }

    private static long lsn(JsonNode r) {
        String[] parts = r.get("lsn").asText().split("/");
        return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    }

    private static JsonNode letter(Path letters, String destination, String eventId) throws Exception {
        Path file = letters.resolve(destination).resolve("public.poison").resolve(eventId + ".json");
        assertThat(file).as("%s dead letter %s", destination, eventId).exists();
        JsonNode letter = JSON.readTree(file.toFile());
        assertThat(letter.get("destination").asText()).isEqualTo(destination);
        return letter;
    }

    private static String body(PostgresStandIn pg, String db, int id) throws Exception {
        return select(pg, db, "SELECT body FROM poison WHERE id = ?", id);
    }

    private static String docText(PostgresStandIn pg, String db, int id) throws Exception {
        return select(pg, db, "SELECT doc::text FROM poison WHERE id = ?", id);
    }

    private static String select(PostgresStandIn pg, String db, String sql, int id) throws Exception {
        try (Connection c = pg.connect(db);
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static JobConfig config(
            PostgresStandIn pg, String db, Path log, String kinesisEndpoint, String dynamoEndpoint) {
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
                        "poison_events",
                        "publication.name",
                        "poison_events",
                        "tables.include",
                        "public\\.poison",
                        "heartbeat.interval",
                        "1 s"));
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
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
                        MAPPING.sourceTable() + "=poison;partition=id:N"));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
