package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The AWS DMS record format end to end from PostgreSQL: every snapshot row arrives as a {@code load},
 * every committed change as an insert, update or delete, and every record matches the DMS JSON Schema.
 */
class KinesisDmsFormatITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyChangeArrivesInTheDmsFormatAndMatchesItsSchema(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start()) {
            String db = pg.createDatabase("dms_format");
            Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(pg, db, 500);
            kinesis.createStream("dms", 2);
            Path log = dir.resolve("log");
            Map<String, Map<String, String>> groups = new HashMap<>(Map.of(
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
                                    "dms_format",
                                    "publication.name",
                                    "dms_format",
                                    "tables.include",
                                    CaptureFixture.DEMO_TABLES),
                    "sink.eventlog", Map.of("path", log.toUri().toString()),
                    "sink.kinesis",
                            Map.of(
                                    "enabled",
                                    "true",
                                    "stream.name",
                                    "dms",
                                    "format",
                                    "dms",
                                    "endpoint",
                                    kinesis.endpoint(),
                                    "emulator",
                                    "true",
                                    "region",
                                    KinesisStandIn.REGION)));
            JobConfig config = JobConfig.of(new PropertyGroups(groups));

            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                    2)) {
                CaptureFixture.awaitEvents(
                        log,
                        CaptureFixture.expectedEvents(seeded, List.of()),
                        Duration.ofMinutes(2),
                        () -> EventLogEndToEndITCase.alive(run));
                TrafficCounts traffic;
                try (TrafficGenerator gen = TrafficGenerator.builder(() -> pg.connect(db))
                        .asFastAsPossible()
                        .rowsPerTransaction(2)
                        .maxChanges(400)
                        .seed(3)
                        .build()) {
                    traffic = gen.runBlocking();
                }
                long total = CaptureFixture.expectedEvents(seeded, List.of(traffic)).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();

                JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(Files.readString(
                                CaptureFixture.repoRoot().resolve("docs/formats/kinesis-record-dms.schema.json")));
                Map<String, JsonNode> distinct = new HashMap<>();
                KinesisTail tail = new KinesisTail(kinesis.client(), "dms");
                Deadline.of(Duration.ofMinutes(2)).await(() -> total + " records; have " + distinct.size(), () -> {
                    for (KinesisTail.TailRecord r : tail.poll()) {
                        JsonNode record = JSON.readTree(r.data);
                        assertThat(schema.validate(record))
                                .as("DMS record %s", record.get("metadata"))
                                .isEmpty();
                        distinct.putIfAbsent(
                                record.get("metadata").get("event-id").asText(), record);
                    }
                    // each table's snapshot baseline is a truncate-table control record besides its rows
                    return distinct.size() >= total + DemoTable.values().length;
                });

                Map<String, Long> byTableAndOperation = new HashMap<>();
                for (JsonNode record : distinct.values()) {
                    JsonNode m = record.get("metadata");
                    byTableAndOperation.merge(
                            m.get("table-name").asText() + "/"
                                    + m.get("operation").asText(),
                            1L,
                            Long::sum);
                }
                for (DemoTable t : DemoTable.values()) {
                    String name = t.tableName();
                    assertThat(byTableAndOperation.getOrDefault(name + "/load", 0L))
                            .as("%s loads", name)
                            .isEqualTo(seeded.get(t));
                    assertThat(byTableAndOperation.getOrDefault(name + "/truncate-table", 0L))
                            .as("%s snapshot baselines", name)
                            .isEqualTo(1L);
                    assertThat(byTableAndOperation.getOrDefault(name + "/insert", 0L))
                            .as("%s inserts", name)
                            .isEqualTo(traffic.inserts(t));
                    assertThat(byTableAndOperation.getOrDefault(name + "/update", 0L))
                            .as("%s updates", name)
                            .isEqualTo(traffic.updates(t));
                    assertThat(byTableAndOperation.getOrDefault(name + "/delete", 0L))
                            .as("%s deletes", name)
                            .isEqualTo(traffic.deletes(t));
                }
            }
        }
    }
}
