package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbItemMapper;
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
import io.tributary.job.replay.ReplayJob;
import io.tributary.job.replay.ReplaySettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A TOASTed value the job never saw is unknown, not NULL: a REPLICA IDENTITY DEFAULT table holds a
 * row with a 10 MB random text value before the job starts without a snapshot; an UPDATE of another
 * column then arrives without that value. The log row has it NULL and lists it in unknown_columns,
 * the Kinesis record lists it, and the DynamoDB item, which held the attribute already, keeps it;
 * replaying the log into another table that held it keeps it as well.
 */
class UnknownToastITCase {
    private static final String STREAM = "changes";
    private static final String MAPPING = "public.docs=docs;partition=id:N";
    private static final String REPLAY_MAPPING = "public.docs=docs_replayed;partition=id:N";
    private static final TableId DOCS = new TableId("public", "docs");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void unsentToastedValueIsListedAsUnknownAndKeptInDynamoDb(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("unknown_toast");
            // md5 text of random numbers: 10 MB that compression cannot bring under the TOAST threshold
            pg.executeIn(
                    db,
                    "CREATE TABLE docs (id int PRIMARY KEY, v int NOT NULL, big text)",
                    "INSERT INTO docs SELECT 1, 1, string_agg(md5(random()::text), '') FROM generate_series(1, 327680)");
            try (Connection c = pg.connect(db);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT length(big), pg_column_size(big),"
                            + " (SELECT relreplident FROM pg_class WHERE relname = 'docs') FROM docs")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(10L * 1024 * 1024);
                assertThat(rs.getLong(2))
                        .as("stored size: out of line, far above the 2 kB TOAST threshold")
                        .isGreaterThan(1_000_000L);
                assertThat(rs.getString(3)).isEqualTo("d");
            }
            kinesis.createStream(STREAM, 1);
            DynamoDbTableMapping mapping = DynamoDbTableMapping.parse(MAPPING);
            dynamo.createTables(List.of(mapping));
            Map<String, AttributeValue> held = new HashMap<>();
            held.put("id", AttributeValue.fromN("1"));
            held.put("v", AttributeValue.fromN("1"));
            held.put("big", AttributeValue.fromS("held before the job"));
            held.put(mapping.versionAttribute(), AttributeValue.fromS(DynamoDbItemMapper.version(0, 0)));
            dynamo.client().putItem(b -> b.tableName("docs").item(held));

            Path log = dir.resolve("log");
            JobConfig config = config(pg, db, log, kinesis.endpoint(), dynamo.endpoint());
            try (PipelineRun run = PipelineRun.start(
                            config,
                            ProductionEndpoints.create(config),
                            PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("cp"), false),
                            1);
                    EventLogDuckDb duck = EventLogDuckDb.open(log)) {
                // Without a snapshot the stream starts where the slot is created: insert markers until one arrives.
                AtomicInteger marker = new AtomicInteger(100);
                Deadline.of(Duration.ofMinutes(3)).await("the job streaming (a marker row in the log)", () -> {
                    EventLogEndToEndITCase.alive(run);
                    if (!rows(duck, log, "id >= 100").isEmpty()) {
                        return true;
                    }
                    pg.executeIn(db, "INSERT INTO docs VALUES (" + marker.incrementAndGet() + ", 0, 'small')");
                    return false;
                });
                pg.executeIn(db, "UPDATE docs SET v = 2 WHERE id = 1");

                Deadline.of(Duration.ofMinutes(2))
                        .await(
                                "the update of row 1 in the log",
                                () -> !rows(duck, log, "id = 1").isEmpty());
                List<Map<String, Object>> logged = rows(duck, log, "id = 1");
                assertThat(logged).hasSize(1);
                assertThat(logged.get(0).get("op")).isEqualTo("U");
                assertThat(logged.get(0).get("v")).isEqualTo(2);
                assertThat(logged.get(0).get("big"))
                        .as("unknown, so NULL in the row, not a value")
                        .isNull();
                assertThat(logged.get(0).get("unknown_columns")).isEqualTo(List.of("big"));

                KinesisTail tail = new KinesisTail(kinesis.client(), STREAM);
                List<JsonNode> updates = new ArrayList<>();
                Deadline.of(Duration.ofMinutes(2)).await("the update of row 1 on Kinesis", () -> {
                    for (KinesisTail.TailRecord r : tail.poll()) {
                        JsonNode node = JSON.readTree(r.data);
                        if ("UPDATE".equals(node.get("op").asText())
                                && node.get("key").get("id").asInt() == 1) {
                            updates.add(node);
                        }
                    }
                    return !updates.isEmpty();
                });
                JsonNode record = updates.get(0);
                assertThat(record.get("unknownColumns"))
                        .extracting(JsonNode::asText)
                        .containsExactly("big");
                assertThat(record.get("new").get("big").isNull()).isTrue();
                assertThat(record.get("new").get("v").asInt()).isEqualTo(2);

                Deadline.of(Duration.ofMinutes(2))
                        .await(
                                "the DynamoDB item of row 1 at v = 2",
                                () -> "2".equals(item(dynamo).get("v").n()));
                Map<String, AttributeValue> item = item(dynamo);
                assertThat(item.get("big").s()).as("the attribute it held").isEqualTo("held before the job");
                assertThat(item.get(mapping.versionAttribute()).s())
                        .isEqualTo(record.get("eventId").asText().substring(0, 33));
            }

            // Replay from the log alone into a second table that also held the attribute: the same outcome.
            DynamoDbTableMapping replayed = DynamoDbTableMapping.parse(REPLAY_MAPPING);
            dynamo.createTables(List.of(replayed));
            held.put(replayed.versionAttribute(), AttributeValue.fromS(DynamoDbItemMapper.version(0, 0)));
            dynamo.client().putItem(b -> b.tableName("docs_replayed").item(held));
            Configuration conf = new Configuration();
            conf.setString("restart-strategy.type", "none");
            ReplayJob.run(
                    StreamExecutionEnvironment.createLocalEnvironment(1, conf),
                    replayConfig(pg, db, dir, dynamo.endpoint()),
                    ReplaySettings.builder()
                            .logPath(log.toUri().toString())
                            .progressInterval(Duration.ofSeconds(1))
                            .build(),
                    System.out);
            Map<String, AttributeValue> replayedItem = dynamo.client()
                    .getItem(b -> b.tableName("docs_replayed").key(Map.of("id", AttributeValue.fromN("1"))))
                    .item();
            assertThat(replayedItem.get("v").n()).isEqualTo("2");
            assertThat(replayedItem.get("big").s()).as("kept by the replay too").isEqualTo("held before the job");
        }
    }

    private static JobConfig replayConfig(PostgresStandIn pg, String db, Path dir, String dynamoEndpoint) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                Map.of(
                        "hostname",
                        pg.host(),
                        "database",
                        db,
                        "username",
                        PostgresStandIn.USER,
                        "password",
                        PostgresStandIn.PASSWORD,
                        "tables.include",
                        "public\\.docs"));
        groups.put("sink.eventlog", Map.of("enabled", "false"));
        groups.put(
                "dead-letters",
                Map.of("path", dir.resolve("dead-letters").toUri().toString()));
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
                        REPLAY_MAPPING));
        return JobConfig.of(new PropertyGroups(groups));
    }

    private static Map<String, AttributeValue> item(DynamoDbStandIn dynamo) {
        return dynamo.client()
                .getItem(b -> b.tableName("docs").key(Map.of("id", AttributeValue.fromN("1"))))
                .item();
    }

    private static List<Map<String, Object>> rows(EventLogDuckDb duck, Path log, String where) throws Exception {
        Path dir = log.resolve(DOCS.toString());
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            if (files.noneMatch(p -> p.toString().endsWith(".parquet"))) {
                return List.of();
            }
        }
        return duck.query("SELECT id, v, op, big, unknown_columns FROM " + duck.relation(DOCS) + " WHERE " + where
                + " ORDER BY lsn, change_lsn");
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
                        "unknown_toast",
                        "publication.name",
                        "unknown_toast",
                        "tables.include",
                        "public\\.docs",
                        "snapshot.mode",
                        "never",
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
                        MAPPING));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
