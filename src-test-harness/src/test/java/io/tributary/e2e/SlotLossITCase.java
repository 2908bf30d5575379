package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.verify.ReadModelVerifyCommand;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The replication slot lost while the job is stopped (dropped by hand, by an RDS major-version upgrade, or a new
 * host): a restore refuses to skip the gap, and a re-baseline (a fresh start with {@code snapshot.mode=initial}
 * into the same destinations) converges them to the database, rows updated and deleted in the gap included.
 */
class SlotLossITCase {
    private static final List<String> MAPPINGS = List.of(
            "public.customers=customers;partition=id:N",
            "public.products=products;partition=id:N",
            "public.orders=orders;partition=id:N",
            "public.order_lines=order_lines;partition=order_id:N;sort=line_no:N");
    /** Rows updated and deleted while nothing captures, some of them changed by the streamed traffic before. */
    private static final String[] GAP = {
        "UPDATE public.customers SET loyalty_points = coalesce(loyalty_points, 0) + 7 WHERE id % 3 = 0",
        "DELETE FROM public.customers WHERE id % 7 = 0",
        "UPDATE public.orders SET status = 'rebaselined' WHERE id % 4 = 0",
        "DELETE FROM public.orders WHERE id % 9 = 0",
        "DELETE FROM public.order_lines WHERE line_no = 1",
        "UPDATE public.products SET stock = stock - 1 WHERE id % 2 = 0",
        "DELETE FROM public.products WHERE id % 5 = 0",
    };

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void rebaselineAfterADroppedSlotConvergesLogAndReadModel(@TempDir Path dir) throws Exception {
        try (DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = PG.get().createDatabase("rebaseline");
            Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 3_000);
            List<DynamoDbTableMapping> mappings =
                    MAPPINGS.stream().map(DynamoDbTableMapping::parse).collect(Collectors.toList());
            dynamo.createTables(mappings);
            Path log = dir.resolve("log");
            JobConfig config = config(db, log, dynamo.endpoint());

            List<TrafficCounts> traffic = new ArrayList<>();
            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp1"), true),
                    2)) {
                CaptureFixture.awaitEvents(
                        log,
                        CaptureFixture.expectedEvents(seeded, traffic),
                        Duration.ofMinutes(3),
                        () -> EventLogEndToEndITCase.alive(run));
                try (TrafficGenerator gen = TrafficGenerator.builder(
                                () -> PG.get().connect(db))
                        .asFastAsPossible()
                        .rowsPerTransaction(2)
                        .maxChanges(600)
                        .seed(21)
                        .build()) {
                    traffic.add(gen.runBlocking());
                }
                CaptureFixture.awaitEvents(
                        log,
                        CaptureFixture.expectedEvents(seeded, traffic),
                        Duration.ofMinutes(3),
                        () -> EventLogEndToEndITCase.alive(run));
                run.stopWithSavepoint(dir.resolve("savepoints"));
            }

            dropSlot(db);
            PG.get().executeIn(db, GAP);

            // A fresh start: no savepoint, the same slot name, log and DynamoDB tables, snapshot.mode's default.
            try (PipelineRun again = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp2"), true),
                    2)) {
                StringBuilder report = new StringBuilder();
                Deadline.of(Duration.ofMinutes(4))
                        .await(() -> "log and read model equal to the tables:\n" + report, () -> {
                            EventLogEndToEndITCase.alive(again);
                            report.setLength(0);
                            return logEqualsDatabase(db, log, report)
                                    && readModelEqualsDatabase(db, mappings, dynamo, report);
                        });
            }
            try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
                for (DemoTable t : DemoTable.values()) {
                    assertThat(verifier.baselines(t.tableId()))
                            .as("snapshot baselines of %s", t)
                            .isEqualTo(2);
                }
            }
        }
    }

    @Test
    void restoreWithoutItsSlotStopsAndCreatesNothing(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("slot_gap");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 500);
        Path log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 200);
        String savepoint;
        try (PipelineRun run = PipelineRun.start(
                config,
                ProductionEndpoints.create(config),
                PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true),
                2)) {
            CaptureFixture.awaitEvents(
                    log,
                    CaptureFixture.expectedEvents(seeded, List.of()),
                    Duration.ofMinutes(3),
                    () -> EventLogEndToEndITCase.alive(run));
            savepoint = run.stopWithSavepoint(dir.resolve("savepoints"));
        }
        dropSlot(db);
        PG.get().executeIn(db, "UPDATE public.customers SET loyalty_points = 1 WHERE id % 2 = 0");

        try (PipelineRun restored = PipelineRun.restore(
                config,
                ProductionEndpoints.create(config),
                PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true),
                2,
                savepoint)) {
            Deadline.of(Duration.ofMinutes(2))
                    .await("the restored job to stop", () -> restored.status().isGloballyTerminalState());
            assertThat(restored.status()).isEqualTo(JobStatus.FAILED);
            // PipelineRun.failureCause reads the result without waiting for it; wait here
            Throwable cause = restored.cluster()
                    .requestJobResult(restored.jobId())
                    .get(1, TimeUnit.MINUTES)
                    .getSerializedThrowable()
                    .orElseThrow()
                    .deserializeError(getClass().getClassLoader());
            assertThat(ExceptionUtils.stringifyException(cause))
                    .contains("replication slot '" + slotName(db) + "' does not exist")
                    .contains("start the job WITHOUT the savepoint or checkpoint")
                    .contains("source.postgres.snapshot.mode=initial");
        }
        assertThat(slotExists(db)).as("slot recreated by the refused restore").isFalse();
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            for (DemoTable t : DemoTable.values()) {
                assertThat(verifier.total(t.tableId()))
                        .as("events of %s after the refused restore", t)
                        .isEqualTo(seeded.get(t));
            }
        }
    }

    @Test
    void snapshotModeNeverStreamsTheSlotsBacklog(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("slot_backlog");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 200);
        // The slot and publication exist before the changes, as they do for a job that was stopped: the slot holds
        // the changes since as its backlog (pgoutput decodes with the catalog as of each change, so the publication
        // must be older than the changes it publishes).
        PG.get()
                .executeIn(
                        db,
                        "CREATE PUBLICATION tributary_" + db + " FOR TABLE public.customers, public.products,"
                                + " public.orders, public.order_lines",
                        "SELECT pg_create_logical_replication_slot('" + slotName(db) + "', 'pgoutput')",
                        "UPDATE public.customers SET loyalty_points = 42 WHERE id <= 5",
                        "DELETE FROM public.orders WHERE id <= 3");
        Path log = dir.resolve("log");
        Map<String, Map<String, String>> groups = new HashMap<>();
        Map<String, String> source = sourceGroup(db);
        source.put("snapshot.mode", "never");
        groups.put("source.postgres", source);
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        JobConfig config = JobConfig.of(new PropertyGroups(groups));
        try (PipelineRun run = PipelineRun.start(
                config,
                ProductionEndpoints.create(config),
                PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true),
                2)) {
            Deadline.of(Duration.ofMinutes(3)).await("the slot's backlog in the log", () -> {
                EventLogEndToEndITCase.alive(run);
                try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
                    return verifier.counts(DemoTable.CUSTOMERS.tableId()).getOrDefault("U", 0L) == 5
                            && verifier.counts(DemoTable.ORDERS.tableId()).getOrDefault("D", 0L) == 3;
                } catch (SQLException e) {
                    return false; // no file of that table committed yet
                }
            });
            try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
                assertThat(verifier.counts(DemoTable.CUSTOMERS.tableId()))
                        .as("no snapshot with snapshot.mode=never")
                        .containsOnlyKeys("U");
                assertThat(seeded.get(DemoTable.CUSTOMERS)).isGreaterThan(5L);
            }
        }
    }

    private static boolean logEqualsDatabase(String db, Path log, StringBuilder report) throws Exception {
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                Connection c = PG.get().connect(db)) {
            Map<TableId, TableSchema> schemas = verifier.schemas();
            boolean equal = true;
            for (DemoTable t : DemoTable.values()) {
                TableSchema schema = schemas.get(t.tableId());
                List<String> diff = EventLogVerifier.differences(
                        EventLogVerifier.databaseState(c, schema), verifier.latestState(schema), 5);
                if (!diff.isEmpty()) {
                    report.append(t).append(" log: ").append(diff).append('\n');
                    equal = false;
                }
            }
            return equal;
        }
    }

    private static boolean readModelEqualsDatabase(
            String db, List<DynamoDbTableMapping> mappings, DynamoDbStandIn dynamo, StringBuilder report)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection c = PG.get().connect(db)) {
            int rc = ReadModelVerifyCommand.run(
                    mappings, c, dynamo.client(), new PrintStream(out, true, StandardCharsets.UTF_8));
            report.append(out.toString(StandardCharsets.UTF_8));
            return rc == 0;
        }
    }

    /** Drops the slot once the stopped job's walsender has let go of it. */
    private static void dropSlot(String db) throws Exception {
        Deadline.of(Duration.ofMinutes(1)).await("slot " + slotName(db) + " dropped", () -> {
            try (Connection c = PG.get().connect(db);
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot('" + slotName(db) + "')");
                return true;
            } catch (SQLException e) {
                if (e.getMessage().contains("is active")) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static boolean slotExists(String db) throws SQLException {
        try (Connection c = PG.get().connect(db);
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slotName(db));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String slotName(String db) {
        return "tributary_" + db;
    }

    private static JobConfig config(String db, Path log, String dynamoEndpoint) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put("source.postgres", sourceGroup(db));
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        groups.put("sink.dynamodb", DynamoDbStandIn.sinkGroup(dynamoEndpoint, MAPPINGS));
        return JobConfig.of(new PropertyGroups(groups));
    }

    private static Map<String, String> sourceGroup(String db) {
        Map<String, String> source = new HashMap<>();
        source.put("hostname", PG.get().host());
        source.put("port", Integer.toString(PG.get().port()));
        source.put("database", db);
        source.put("username", PostgresStandIn.USER);
        source.put("password", PostgresStandIn.PASSWORD);
        source.put("slot.name", slotName(db));
        source.put("publication.name", "tributary_" + db);
        source.put("tables.include", CaptureFixture.DEMO_TABLES);
        source.put("snapshot.split-size", "300");
        source.put("heartbeat.interval", "1 s");
        return source;
    }
}
