package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.verify.ReadModelVerifyCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * From PostgreSQL to all three destinations at once, with a TaskManager failure mid-stream: the
 * Kinesis stream holds every change (after dropping duplicates by eventId) in commit order per row
 * with correct old and new images, every record matches the published JSON Schema, and the
 * DynamoDB read model equals the tables.
 */
class AllDestinationsITCase {
    private static final String STREAM = "changes";
    private static final List<String> MAPPINGS = List.of(
            "public.customers=customers;partition=id:N",
            "public.products=products;partition=id:N",
            "public.orders=orders;partition=id:N",
            "public.order_lines=order_lines;partition=order_id:N;sort=line_no:N");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kinesisAndDynamoDbMatchTheDatabaseAcrossATaskManagerFailure(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("all_destinations");
            Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(pg, db, 2_000);
            kinesis.createStream(STREAM, 2);
            List<DynamoDbTableMapping> mappings =
                    MAPPINGS.stream().map(DynamoDbTableMapping::parse).collect(Collectors.toList());
            dynamo.createTables(mappings);
            Path log = dir.resolve("log");
            JobConfig config = config(pg, db, log, kinesis.endpoint(), dynamo.endpoint());

            List<TrafficCounts> traffic = new ArrayList<>();
            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true),
                    2)) {
                CaptureFixture.awaitEvents(
                        log,
                        CaptureFixture.expectedEvents(seeded, traffic),
                        Duration.ofMinutes(3),
                        () -> EventLogEndToEndITCase.alive(run));
                try (TrafficGenerator gen = TrafficGenerator.builder(() -> pg.connect(db))
                        .changesPerSecond(500)
                        .rowsPerTransaction(2)
                        .maxChanges(2_000)
                        .seed(5)
                        .build()) {
                    gen.start();
                    Deadline.of(Duration.ofMinutes(2))
                            .await("traffic under way", () -> gen.counts().total() >= 800);
                    run.failTaskManager();
                    gen.awaitTermination(Duration.ofMinutes(3));
                    gen.close();
                    traffic.add(gen.counts());
                }
                Map<DemoTable, Long> expected = CaptureFixture.expectedEvents(seeded, traffic);
                CaptureFixture.awaitEvents(
                        log, expected, Duration.ofMinutes(4), () -> EventLogEndToEndITCase.alive(run));

                long total =
                        expected.values().stream().mapToLong(Long::longValue).sum();
                KinesisTail tail = new KinesisTail(kinesis.client(), STREAM);
                List<JsonNode> records = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                Deadline.of(Duration.ofMinutes(3))
                        .await(() -> "all " + total + " changes on the stream; distinct so far " + ids.size(), () -> {
                            for (KinesisTail.TailRecord r : tail.poll()) {
                                JsonNode node = JSON.readTree(r.data);
                                records.add(node);
                                ids.add(node.get("eventId").asText());
                            }
                            return ids.size() >= total;
                        });
                assertKinesisRecords(records, expected);

                ByteArrayOutputStream report = new ByteArrayOutputStream();
                Deadline.of(Duration.ofMinutes(2))
                        .await(
                                () -> "read model equal to the tables:\n" + report.toString(StandardCharsets.UTF_8),
                                () -> {
                                    report.reset();
                                    try (Connection c = pg.connect(db)) {
                                        return ReadModelVerifyCommand.run(
                                                        mappings,
                                                        c,
                                                        dynamo.client(),
                                                        new PrintStream(report, true, StandardCharsets.UTF_8))
                                                == 0;
                                    }
                                });
            }
        }
    }

    /** Every change once after de-duplication, per row in position order, each old image the previous new one. */
    private static void assertKinesisRecords(List<JsonNode> records, Map<DemoTable, Long> expected) throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(
                        Files.readString(CaptureFixture.repoRoot().resolve("docs/formats/kinesis-record.schema.json")));
        Map<String, List<JsonNode>> perRow = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, Long> perTable = new HashMap<>();
        Map<String, Long> baselines = new HashMap<>();
        for (JsonNode r : records) {
            assertThat(schema.validate(r))
                    .as("record %s against the schema", r.get("eventId"))
                    .isEmpty();
            if ("TRUNCATE".equals(r.get("op").asText()) && r.get("snapshot").asBoolean()) {
                if (seen.add(r.get("eventId").asText())) { // the snapshot's baseline, before its rows
                    baselines.merge(r.get("table").asText(), 1L, Long::sum);
                }
            } else if (seen.add(r.get("eventId").asText())) {
                perRow.computeIfAbsent(r.get("table").asText() + r.get("key").toString(), k -> new ArrayList<>())
                        .add(r);
                perTable.merge(r.get("table").asText(), 1L, Long::sum);
            }
        }
        for (DemoTable t : DemoTable.values()) {
            assertThat(perTable.getOrDefault(t.tableId().toString(), 0L))
                    .as("distinct changes of %s", t)
                    .isEqualTo(expected.get(t));
            assertThat(baselines.getOrDefault(t.tableId().toString(), 0L))
                    .as("snapshot baselines of %s", t)
                    .isEqualTo(1L);
        }
        for (Map.Entry<String, List<JsonNode>> row : perRow.entrySet()) {
            JsonNode previous = null;
            for (JsonNode r : row.getValue()) {
                String op = r.get("op").asText();
                if (previous == null || previous.get("op").asText().equals("DELETE")) {
                    assertThat(op)
                            .as("first change of %s after a delete or at start", row.getKey())
                            .isEqualTo("INSERT");
                } else {
                    assertThat(position(r)).as("order of %s", row.getKey()).isGreaterThan(position(previous));
                    assertThat(op)
                            .as("op after %s in %s", previous.get("op"), row.getKey())
                            .isIn("UPDATE", "DELETE");
                    assertThat(r.get("old"))
                            .as("old image of %s at %s", row.getKey(), r.get("lsn"))
                            .isEqualTo(previous.get("new"));
                }
                previous = r;
            }
        }
    }

    /**
     * The record's full position {@code commitLsn-changeLsn}: the start of its event id, fixed-width hex, so it
     * compares as text like the positions do. {@code lsn} alone is the transaction's position, which two
     * changes of one row in one transaction can share.
     */
    private static String position(JsonNode r) {
        return r.get("eventId").asText().substring(0, 33);
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
                        "all_destinations",
                        "publication.name",
                        "all_destinations",
                        "tables.include",
                        CaptureFixture.DEMO_TABLES,
                        "snapshot.split-size",
                        "300",
                        "heartbeat.interval",
                        "1 s"));
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        groups.put("sink.kinesis", KinesisStandIn.sinkGroup(kinesisEndpoint, STREAM));
        groups.put("sink.dynamodb", DynamoDbStandIn.sinkGroup(dynamoEndpoint, MAPPINGS));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
