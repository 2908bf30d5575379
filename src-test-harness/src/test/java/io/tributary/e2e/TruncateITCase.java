package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.replay.ReplayJob;
import io.tributary.job.replay.ReplayResult;
import io.tributary.job.replay.ReplaySettings;
import io.tributary.verify.ReadModelVerifyCommand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * TRUNCATE from a real PostgreSQL through the job at sequencer and sink parallelism 2: rows and
 * changes, {@code TRUNCATE a} (and one inside a transaction that inserts again), inserts that reuse
 * keys and new ones, {@code TRUNCATE a, b}, {@code TRUNCATE p CASCADE} (its child too), and a table
 * mapped with {@code truncate=dead-letter}. The log's latest state, the DynamoDB read model and a
 * replay of the log into empty DynamoDB tables all equal {@code SELECT}; every TRUNCATE is in the log
 * exactly once and on the stream; the dead-letter table keeps its items and gets a dead letter.
 */
class TruncateITCase {
    private static final String STREAM = "truncates";
    private static final List<String> TABLES = List.of("a", "b", "p", "ch", "keep");
    private static final List<String> APPLIED = List.of(
            "public.a=t_a;partition=id:N", "public.b=t_b;partition=id:N",
            "public.p=t_p;partition=id:N", "public.ch=t_ch;partition=id:N");
    private static final String KEEP = "public.keep=t_keep;partition=id:N;truncate=dead-letter";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void truncateReachesEveryDestinationInOrderAndReplayAppliesIt(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("truncate_e2e");
            pg.executeIn(
                    db,
                    "CREATE TABLE a (id int PRIMARY KEY, v text)",
                    "CREATE TABLE b (id int PRIMARY KEY, n int)",
                    "CREATE TABLE p (id int PRIMARY KEY, v text)",
                    "CREATE TABLE ch (id int PRIMARY KEY, p_id int REFERENCES p(id))",
                    "CREATE TABLE keep (id int PRIMARY KEY, v text)",
                    "INSERT INTO a SELECT g, 'a' || g FROM generate_series(1, 40) g",
                    "INSERT INTO b SELECT g, g FROM generate_series(1, 40) g",
                    "INSERT INTO p SELECT g, 'p' || g FROM generate_series(1, 10) g",
                    "INSERT INTO ch SELECT g, g FROM generate_series(1, 10) g",
                    "INSERT INTO keep SELECT g, 'k' || g FROM generate_series(1, 10) g");
            kinesis.createStream(STREAM, 2);
            List<DynamoDbTableMapping> applied =
                    APPLIED.stream().map(DynamoDbTableMapping::parse).collect(Collectors.toList());
            DynamoDbTableMapping keep = DynamoDbTableMapping.parse(KEEP);
            List<DynamoDbTableMapping> all = new ArrayList<>(applied);
            all.add(keep);
            dynamo.createTables(all);
            Path log = dir.resolve("log");
            Path deadLetters = dir.resolve("dead-letters");
            JobConfig config = config(pg, db, log, deadLetters, kinesis.endpoint(), dynamo.endpoint());

            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                    2)) {
                Deadline.of(Duration.ofMinutes(3)).await("the snapshot in the log", () -> {
                    run.assertAlive();
                    return logRows(log, "keep") >= 10 && logRows(log, "a") >= 40 && logRows(log, "ch") >= 10;
                });
                pg.executeIn(
                        db,
                        "UPDATE a SET v = v || '!' WHERE id % 3 = 0",
                        "DELETE FROM a WHERE id % 7 = 0",
                        "UPDATE b SET n = n + 100 WHERE id <= 20",
                        "TRUNCATE a",
                        "INSERT INTO a SELECT g, 'again' || g FROM generate_series(1, 15) g", // keys reused
                        "INSERT INTO a SELECT g, 'new' || g FROM generate_series(100, 110) g",
                        "UPDATE a SET v = 'changed' WHERE id = 3",
                        "BEGIN; UPDATE a SET v = 'gone' WHERE id = 5; TRUNCATE a;"
                                + " INSERT INTO a VALUES (5, 'same transaction'), (6, 'six'); COMMIT",
                        "UPDATE b SET n = -n WHERE id > 30",
                        "TRUNCATE a, b",
                        "INSERT INTO a VALUES (1, 'after both'), (200, 'two hundred')",
                        "INSERT INTO b SELECT g, g * 2 FROM generate_series(35, 45) g",
                        "TRUNCATE p CASCADE",
                        "INSERT INTO p VALUES (1, 'p again'), (11, 'p new')",
                        "INSERT INTO ch VALUES (1, 1), (12, 11)",
                        "UPDATE keep SET v = 'before' WHERE id = 1",
                        "TRUNCATE keep",
                        "INSERT INTO keep VALUES (2, 'k again'), (20, 'k new')");
                Map<String, Integer> truncates = Map.of("a", 3, "b", 1, "p", 1, "ch", 1, "keep", 1);

                Deadline.of(Duration.ofMinutes(3))
                        .await("every TRUNCATE in the log and its latest state equal to" + " the tables", () -> {
                            run.assertAlive();
                            return truncateRows(log).equals(truncates)
                                    && logEqualsDatabase(pg, db, log).isEmpty();
                        });
                assertThat(logEqualsDatabase(pg, db, log)).isEmpty();
                assertLog(log, truncates);
                assertStream(kinesis, truncates);

                ByteArrayOutputStream report = new ByteArrayOutputStream();
                Deadline.of(Duration.ofMinutes(2))
                        .await(
                                () -> "read model equal to the tables:\n" + report.toString(StandardCharsets.UTF_8),
                                () -> verify(pg, db, dynamo, applied, report));
                Set<String> keptIds = dynamo.scan(keep.targetTable()).stream()
                        .map(i -> i.get("id").n())
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(keptIds)
                        .as("truncate=dead-letter keeps the truncated rows' items")
                        .containsAll(List.of("1", "3", "10"))
                        .contains("2", "20");
                assertThat(dynamo.scan(keep.targetTable()).stream()
                                .filter(i -> i.get("id").n().equals("1"))
                                .map(i -> i.get("v"))
                                .findFirst())
                        .contains(AttributeValue.fromS("before"));
                assertThat(deadLetterTexts(deadLetters))
                        .as("dead letters")
                        .hasSize(1)
                        .allSatisfy(t -> assertThat(t).contains("TRUNCATE of public.keep", "truncate=dead-letter"));
            }

            List<DynamoDbTableMapping> replayed = APPLIED.stream()
                    .map(s -> DynamoDbTableMapping.parse(s.replace("=t_", "=replay_")))
                    .collect(Collectors.toList());
            dynamo.createTables(replayed);
            Configuration conf = new Configuration();
            conf.setString("restart-strategy.type", "none");
            ReplayResult result = ReplayJob.run(
                    StreamExecutionEnvironment.createLocalEnvironment(2, conf),
                    replayConfig(pg, db, deadLetters, dynamo.endpoint()),
                    ReplaySettings.builder()
                            .logPath(log.toUri().toString())
                            .tables(Pattern.compile("public\\.(a|b|p|ch)"))
                            .progressInterval(Duration.ofSeconds(1))
                            .build(),
                    System.out);
            assertThat(result.report()).anyMatch(l -> l.startsWith("truncate: public.a"));
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            assertThat(verify(pg, db, dynamo, replayed, report))
                    .as("replayed read model vs the tables:\n%s", report.toString(StandardCharsets.UTF_8))
                    .isTrue();
        }
    }

    private static boolean verify(
            PostgresStandIn pg,
            String db,
            DynamoDbStandIn dynamo,
            List<DynamoDbTableMapping> mappings,
            ByteArrayOutputStream report)
            throws Exception {
        report.reset();
        try (Connection c = pg.connect(db)) {
            return ReadModelVerifyCommand.run(
                            mappings, c, dynamo.client(), new PrintStream(report, true, StandardCharsets.UTF_8))
                    == 0;
        }
    }

    private static long logRows(Path log, String table) throws Exception {
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            return verifier.total(new TableId("public", table));
        }
    }

    private static Map<String, Integer> truncateRows(Path log) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            for (String t : TABLES) {
                Long n = verifier.counts(new TableId("public", t)).get("T");
                if (n != null) {
                    counts.put(t, n.intValue());
                }
            }
        }
        return counts;
    }

    /** Differences between each table's latest state in the log (DuckDB, EventLogSql) and SELECT. */
    private static List<String> logEqualsDatabase(PostgresStandIn pg, String db, Path log) throws Exception {
        List<String> differences = new ArrayList<>();
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                Connection c = pg.connect(db)) {
            Map<TableId, TableSchema> schemas = verifier.schemas();
            for (String t : TABLES) {
                TableSchema schema = schemas.get(new TableId("public", t));
                if (schema == null) {
                    differences.add("no log for " + t);
                    continue;
                }
                for (String d : EventLogVerifier.differences(
                        EventLogVerifier.databaseState(c, schema), verifier.latestState(schema), 10)) {
                    differences.add(t + ": " + d);
                }
            }
        }
        return differences;
    }

    /** Each TRUNCATE once (one event id each), as a row with op T, no values, envelope set; row histories whole. */
    private static void assertLog(Path log, Map<String, Integer> truncates) throws Exception {
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                EventLogDuckDb duck = EventLogDuckDb.open(log)) {
            Map<TableId, TableSchema> schemas = verifier.schemas();
            Map<String, List<Long>> positions = new HashMap<>();
            for (String t : TABLES) {
                TableId table = new TableId("public", t);
                assertThat(verifier.duplicateEventIds(table))
                        .as("duplicate event ids in %s", t)
                        .isEmpty();
                assertThat(verifier.chainViolations(schemas.get(table)))
                        .as("row histories of %s", t)
                        .isEmpty();
                List<Map<String, Object>> rows = duck.query("SELECT id, event_id, lsn, tx_id, commit_ts, old_image"
                        + " FROM " + duck.relation(table) + " WHERE op = 'T' AND NOT is_snapshot ORDER BY lsn");
                assertThat(rows).as("TRUNCATE rows of %s", t).hasSize(truncates.get(t));
                for (Map<String, Object> r : rows) {
                    assertThat(r.get("id")).isNull();
                    assertThat(r.get("old_image")).isNull();
                    assertThat((Long) r.get("tx_id")).isPositive();
                    assertThat(r.get("commit_ts")).isNotNull();
                    positions.computeIfAbsent(t, k -> new ArrayList<>()).add((Long) r.get("lsn"));
                }
            }
            assertThat(positions.get("b"))
                    .as("TRUNCATE a, b: one event per table at one position")
                    .containsExactly(positions.get("a").get(2));
            assertThat(positions.get("ch"))
                    .as("TRUNCATE p CASCADE truncates the child too")
                    .containsExactlyElementsOf(positions.get("p"));
        }
    }

    /** Every TRUNCATE is on the stream (after de-duplication by event id), partitioned by its table, valid. */
    private static void assertStream(KinesisStandIn kinesis, Map<String, Integer> truncates) throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(
                        Files.readString(CaptureFixture.repoRoot().resolve("docs/formats/kinesis-record.schema.json")));
        KinesisTail tail = new KinesisTail(kinesis.client(), STREAM);
        Map<String, Set<String>> seen = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        Deadline.of(Duration.ofMinutes(2)).await(() -> "TRUNCATE records " + counts + " on the stream", () -> {
            for (KinesisTail.TailRecord r : tail.poll()) {
                JsonNode node = JSON.readTree(r.data);
                assertThat(schema.validate(node)).as("record %s", node).isEmpty();
                if (node.get("op").asText().equals("TRUNCATE")
                        && !node.get("snapshot").asBoolean()) {
                    String table = node.get("table").asText().substring("public.".length());
                    assertThat(r.partitionKey).isEqualTo(node.get("table").asText());
                    assertThat(node.get("key").size()).isZero();
                    assertThat(node.get("old").isNull() && node.get("new").isNull())
                            .isTrue();
                    if (seen.computeIfAbsent(table, k -> new HashSet<>())
                            .add(node.get("eventId").asText())) {
                        counts.merge(table, 1, Integer::sum);
                    }
                }
            }
            return counts.equals(truncates);
        });
    }

    private static List<String> deadLetterTexts(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> texts = new ArrayList<>();
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                texts.add(Files.readString(f));
            }
            return texts;
        }
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
                        "truncate_e2e",
                        "publication.name",
                        "truncate_e2e",
                        "tables.include",
                        "public\\.(a|b|p|ch|keep)",
                        "heartbeat.interval",
                        "1 s"));
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        groups.put("dead-letters", Map.of("path", deadLetters.toUri().toString()));
        groups.put("sink.kinesis", KinesisStandIn.sinkGroup(kinesisEndpoint, STREAM));
        List<String> mappings = new ArrayList<>(APPLIED);
        mappings.add(KEEP);
        groups.put("sink.dynamodb", DynamoDbStandIn.sinkGroup(dynamoEndpoint, mappings));
        return JobConfig.of(new PropertyGroups(groups));
    }

    private static JobConfig replayConfig(PostgresStandIn pg, String db, Path deadLetters, String dynamoEndpoint) {
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
                        "public\\.(a|b|p|ch)"));
        groups.put("sink.eventlog", Map.of("enabled", "false"));
        groups.put(
                "dead-letters",
                Map.of("path", deadLetters.resolve("replay").toUri().toString()));
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
                        APPLIED.stream().map(s -> s.replace("=t_", "=replay_")).collect(Collectors.joining(" | "))));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
