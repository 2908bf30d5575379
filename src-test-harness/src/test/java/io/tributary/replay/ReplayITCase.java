package io.tributary.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.e2e.CaptureFixture;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.replay.ReplayException;
import io.tributary.job.replay.ReplayJob;
import io.tributary.job.replay.ReplayResult;
import io.tributary.job.replay.ReplaySettings;
import io.tributary.verify.ReadModelVerifyCommand;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The streaming job writes the event log of a mixed workload with a schema change in the middle
 * (customers gains a column, every customer is updated); then the log alone rebuilds DynamoDB read
 * models: the whole history, a point in time, a replay into a current model, and bad files.
 */
class ReplayITCase {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayITCase.class);
    private static String db;

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @RegisterExtension
    static final StandInExtension<DynamoDbStandIn> DYNAMODB = StandInExtension.dynamoDb();

    private static Path log;
    private static Instant pointInTime;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeTheEventLog() throws Exception {
        db = PG.get().createDatabase("replay_src");
        Map<DemoTable, Long> seeded;
        try (Connection c = PG.get().connect(db)) {
            DemoSchema.create(c);
            seeded = DemoSchema.seed(c, 1_000);
        }
        log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 200);
        List<TrafficCounts> traffic = new ArrayList<>();
        Map<DemoTable, Long> extra = new EnumMap<>(DemoTable.class);
        try (PipelineRun run = PipelineRun.start(
                config,
                ProductionEndpoints.create(config),
                PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("cp"), false),
                2)) {
            Runnable alive = () -> alive(run);
            CaptureFixture.awaitEvents(
                    log, CaptureFixture.expectedEvents(seeded, traffic), Duration.ofMinutes(3), alive);
            traffic.add(traffic(1));
            CaptureFixture.awaitEvents(
                    log, CaptureFixture.expectedEvents(seeded, traffic), Duration.ofMinutes(3), alive);

            pointInTime = Instant.now();
            try (Connection c = PG.get().connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA pit");
                for (DemoTable t : DemoTable.values()) {
                    s.execute("CREATE TABLE pit." + t.tableName() + " AS TABLE public." + t.tableName());
                }
                s.execute("ALTER TABLE public.customers ADD COLUMN note text");
                extra.put(
                        DemoTable.CUSTOMERS, (long) s.executeUpdate("UPDATE public.customers SET note = 'v2-' || id"));
            }
            traffic.add(traffic(2));
            Map<DemoTable, Long> expected = CaptureFixture.expectedEvents(seeded, traffic);
            extra.forEach((t, n) -> expected.merge(t, n, Long::sum));
            CaptureFixture.awaitEvents(log, expected, Duration.ofMinutes(3), alive);
        }
    }

    private static TrafficCounts traffic(long seed) throws Exception {
        try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                .changesPerSecond(1_000)
                .rowsPerTransaction(3)
                .maxChanges(1_500)
                .seed(seed)
                .build()) {
            return gen.runBlocking();
        }
    }

    @Test
    void logAloneRebuildsTheReadModelAcrossASchemaChange() throws Exception {
        List<DynamoDbTableMapping> mappings = mappings("public", "full_");
        DYNAMODB.get().createTables(mappings);
        ReplayResult result = replay(mappings, settings(log).build());

        assertThat(result.report())
                .as("the range holds the customers schema change")
                .anyMatch(l -> l.startsWith("schema change: public.customers has 2 schema versions"));
        assertThat(result.eventsEmitted()).isEqualTo(result.eventsRead());
        assertVerified(mappings);

        // replaying the same history into the now current read model changes no item
        Map<String, Set<Map<String, AttributeValue>>> before = scan(mappings);
        replay(mappings, settings(log).build());
        assertThat(scan(mappings)).isEqualTo(before);
    }

    @Test
    void olderHistoryNeverMovesACurrentReadModelBackwards() throws Exception {
        // tombstones: a hard-deleted item leaves nothing to fence against, so an older insert would
        // bring it back; with tombstones every write, deletes included, is version-fenced
        List<DynamoDbTableMapping> mappings = mappings("public", "fenced_", ";tombstone");
        DYNAMODB.get().createTables(mappings);
        replay(mappings, settings(log).build());
        Map<String, Set<Map<String, AttributeValue>>> current = scan(mappings);

        ReplayResult older = replay(mappings, settings(log).until(pointInTime).build());
        assertThat(older.eventsEmitted()).isLessThan(older.eventsRead());
        assertThat(scan(mappings)).isEqualTo(current);
    }

    @Test
    void untilTRebuildsTheStateAsOfT() throws Exception {
        List<DynamoDbTableMapping> mappings = mappings("public", "pit_");
        DYNAMODB.get().createTables(mappings);
        ReplayResult result = replay(mappings, settings(log).until(pointInTime).build());

        assertThat(result.eventsEmitted()).isLessThan(result.eventsRead());
        assertVerified(mappings("pit", "pit_"));
    }

    @Test
    void badFileStopsBeforeWritingOrIsSkippedWithAReport() throws Exception {
        Path copy = dir.resolve("log-with-bad-file");
        copyTree(log, copy);
        Path hourDir;
        try (Stream<Path> files = Files.walk(copy.resolve("public.orders"))) {
            hourDir = files.filter(p -> p.getFileName().toString().startsWith("hr="))
                    .findFirst()
                    .orElseThrow();
        }
        Path bad = hourDir.resolve("part-garbage-0.parquet");
        Files.writeString(bad, "this is not a Parquet file");

        List<DynamoDbTableMapping> failMappings = mappings("public", "bad_fail_");
        DYNAMODB.get().createTables(failMappings);
        assertThatThrownBy(() ->
                        replay(failMappings, settings(copy).failOnBadFile(true).build()))
                .isInstanceOf(ReplayException.class)
                .hasMessageContaining("part-garbage-0.parquet")
                .hasMessageContaining("nothing written");
        for (DynamoDbTableMapping m : failMappings) {
            assertThat(DYNAMODB.get().scan(m.targetTable()))
                    .as("items in %s after a failed replay", m.targetTable())
                    .isEmpty();
        }

        List<DynamoDbTableMapping> skipMappings = mappings("public", "bad_skip_");
        DYNAMODB.get().createTables(skipMappings);
        ReplayResult result =
                replay(skipMappings, settings(copy).failOnBadFile(false).build());
        assertThat(result.report()).anyMatch(l -> l.startsWith("bad file:") && l.contains("part-garbage-0.parquet"));
        assertVerified(skipMappings); // the garbage held no events, so the rest is the whole history
    }

    private static ReplaySettings.Builder settings(Path logDir) {
        return ReplaySettings.builder().logPath(logDir.toUri().toString()).progressInterval(Duration.ofSeconds(1));
    }

    static ReplayResult replay(List<DynamoDbTableMapping> mappings, ReplaySettings settings) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        ReplayResult result = ReplayJob.run(env, replayConfig(mappings), settings, System.out);
        LOG.info("{}", result);
        return result;
    }

    static JobConfig replayConfig(List<DynamoDbTableMapping> mappings) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                Map.of(
                        "hostname",
                        PG.get().host(),
                        "database",
                        db,
                        "username",
                        PostgresStandIn.USER,
                        "password",
                        PostgresStandIn.PASSWORD,
                        "tables.include",
                        CaptureFixture.DEMO_TABLES));
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
                        DYNAMODB.get().endpoint(),
                        "local",
                        "true",
                        "region",
                        DynamoDbStandIn.REGION,
                        "tables",
                        mappings.stream().map(ReplayITCase::spec).collect(Collectors.joining(" | "))));
        return JobConfig.of(new PropertyGroups(groups));
    }

    private static final Map<DynamoDbTableMapping, String> SPECS = new HashMap<>();

    /** Mappings of the demo tables in {@code schema} to DynamoDB tables named {@code prefix + table}. */
    static List<DynamoDbTableMapping> mappings(String schema, String prefix) {
        return mappings(schema, prefix, "");
    }

    static List<DynamoDbTableMapping> mappings(String schema, String prefix, String options) {
        List<DynamoDbTableMapping> list = new ArrayList<>();
        for (String spec : List.of(
                "%s.customers=%scustomers;partition=id:N",
                "%s.products=%sproducts;partition=id:N",
                "%s.orders=%sorders;partition=id:N",
                "%s.order_lines=%sorder_lines;partition=order_id:N;sort=line_no:N")) {
            String s = String.format(spec, schema, prefix) + options;
            DynamoDbTableMapping m = DynamoDbTableMapping.parse(s);
            SPECS.put(m, s);
            list.add(m);
        }
        return list;
    }

    private static String spec(DynamoDbTableMapping m) {
        return SPECS.get(m);
    }

    private static void assertVerified(List<DynamoDbTableMapping> mappings) throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int code;
        try (Connection c = PG.get().connect(db)) {
            code = ReadModelVerifyCommand.run(
                    mappings, c, DYNAMODB.get().client(), new PrintStream(report, true, StandardCharsets.UTF_8));
        }
        assertThat(code)
                .as("read model vs database:\n%s", report.toString(StandardCharsets.UTF_8))
                .isZero();
    }

    private static Map<String, Set<Map<String, AttributeValue>>> scan(List<DynamoDbTableMapping> mappings) {
        Map<String, Set<Map<String, AttributeValue>>> items = new HashMap<>();
        for (DynamoDbTableMapping m : mappings) {
            items.put(m.targetTable(), new HashSet<>(DYNAMODB.get().scan(m.targetTable())));
        }
        return items;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void alive(PipelineRun run) {
        try {
            run.assertAlive();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
