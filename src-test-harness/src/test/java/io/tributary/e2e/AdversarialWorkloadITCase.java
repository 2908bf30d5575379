package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.adversarial.AdversarialSchema;
import io.tributary.harness.adversarial.AdversarialWorkload;
import io.tributary.harness.adversarial.ChangeFact;
import io.tributary.harness.adversarial.ChangeFactComparison;
import io.tributary.harness.adversarial.DecodedChange;
import io.tributary.harness.adversarial.DecodedOracle;
import io.tributary.harness.adversarial.EventLogFacts;
import io.tributary.harness.adversarial.KinesisFacts;
import io.tributary.harness.adversarial.TestDecodingSlot;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Issue 9's adversarial workload through the whole job, checked against the database's own
 * decoding: a {@code test_decoding} slot created before the workload is the oracle, not the
 * generator's tally. Concurrent sessions, key updates, the concurrent insert/delete case, savepoint
 * and transaction rollbacks, TRUNCATE of one and of two tables, odd values and 10 MB TOASTed values
 * left unchanged by updates; parallelism 2 and a TaskManager failure in the middle.
 *
 * <p>Then, for the captured tables: the event log and the Kinesis stream (after de-duplication by
 * eventId; records the sink sent to the dead letters count as delivered there) hold exactly the
 * decoded changes (table, key, op, transaction id) in decoded order per row; the seeded rows
 * arrive as snapshot rows; the log's latest state and the DynamoDB read model equal the tables.
 */
class AdversarialWorkloadITCase {
    private static final Logger LOG = LoggerFactory.getLogger(AdversarialWorkloadITCase.class);
    private static final String STREAM = "adversarial";
    /** A DynamoDB item holds at most 400 KB; a row above this can only be a dead letter. */
    private static final int DYNAMODB_ITEM_LIMIT = 400 * 1024;

    @Test
    void everyDestinationHoldsExactlyWhatTheDatabaseDecoded(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        LOG.info("[adversarial] event log, checkpoints and dead letters in {} (kept when the test fails)", dir);
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("adversarial");
            Map<TableId, List<String>> keyColumns;
            Map<TableId, List<List<String>>> seededKeys = new TreeMap<>();
            TestDecodingSlot oracle;
            try (Connection c = pg.connect(db)) {
                AdversarialSchema.create(c);
                AdversarialSchema.seed(c, 3, true);
                keyColumns = TestDecodingSlot.primaryKeys(c, AdversarialSchema.TABLES);
                for (TableId t : AdversarialSchema.TABLES) {
                    seededKeys.put(t, keys(c, t, keyColumns.get(t)));
                }
                oracle = TestDecodingSlot.create(c, "adversarial_oracle");
            }
            kinesis.createStream(STREAM, 2);
            List<DynamoDbTableMapping> mappings = AdversarialSchema.DYNAMODB_MAPPINGS.stream()
                    .map(DynamoDbTableMapping::parse)
                    .collect(Collectors.toList());
            dynamo.createTables(mappings);
            Path log = dir.resolve("log");
            JobConfig config = config(pg, db, log, kinesis.endpoint(), dynamo.endpoint());

            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true),
                    2)) {
                // Changes made while chunks are read fold into snapshot rows: stream only after the snapshot.
                awaitSnapshot(log, seededKeys, run);
                AdversarialWorkload workload = AdversarialWorkload.builder(() -> pg.connect(db))
                        .seed(9)
                        .roundPause(Duration.ofMillis(300))
                        .build();
                try (workload) {
                    workload.start();
                    // The failure hits with streamed changes already through the job and half the rounds to come.
                    Deadline.of(Duration.ofMinutes(2))
                            .await(() -> "half the rounds and streamed changes in the log: " + workload.tally(), () -> {
                                workload.throwIfFailed();
                                return workload.tally().rounds()
                                                >= workload.settings().rounds() / 2
                                        && !logFacts(log).streamed().isEmpty();
                            });
                    run.failTaskManager();
                }
                LOG.info("[adversarial] workload done: " + workload.tally());
                List<DecodedChange> decoded;
                try (Connection c = pg.connect(db)) {
                    decoded = oracle.drain(c);
                    oracle.drop(c);
                }
                List<ChangeFact> expected = DecodedOracle.expected(decoded, keyColumns);
                LOG.info("[adversarial] test_decoding: " + decoded.size() + " changes, " + expected.size()
                        + " row events expected");

                // every destination is compared even when one differs: which ones miss a change says where it was lost
                List<AssertionError> differences = new ArrayList<>();
                compare(differences, () -> assertEventLog(log, expected, seededKeys, run));
                compare(differences, () -> assertKinesis(kinesis, log, keyColumns, expected, seededKeys, run));
                compare(differences, () -> assertLogLatestStateEqualsTables(pg, db, log));
                compare(differences, () -> assertReadModel(pg, db, dynamo, log, mappings));
                if (!differences.isEmpty()) {
                    AssertionError all = new AssertionError(differences.size() + " of 4 destination checks failed: "
                            + differences.stream().map(Throwable::getMessage).collect(Collectors.joining("\n---\n")));
                    differences.forEach(all::addSuppressed);
                    throw all;
                }
            }
        }
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void compare(List<AssertionError> differences, Check check) throws Exception {
        try {
            check.run();
        } catch (AssertionError e) {
            differences.add(e);
        }
    }

    private static void assertEventLog(
            Path log, List<ChangeFact> expected, Map<TableId, List<List<String>>> seededKeys, PipelineRun run)
            throws Exception {
        ChangeFactComparison[] last = new ChangeFactComparison[1];
        Deadline.of(Duration.ofMinutes(2))
                .await(() -> "the event log to hold every decoded change:\n" + last[0], () -> {
                    assertAlive(run, last[0]);
                    last[0] = ChangeFactComparison.compare(
                            "event log", expected, logFacts(log).streamed());
                    return last[0].complete();
                });
        EventLogFacts facts = logFacts(log);
        ChangeFactComparison inLog = ChangeFactComparison.compare("event log", expected, facts.streamed());
        assertThat(inLog.matches())
                .withFailMessage("event log, event by event: %s", inLog)
                .isTrue();
        Map<TableId, List<List<String>>> snapshot = keysPerTable(facts.snapshot());
        assertThat(snapshot).as("snapshot rows in the event log").isEqualTo(seededKeys);
    }

    private static void assertKinesis(
            KinesisStandIn kinesis,
            Path log,
            Map<TableId, List<String>> keyColumns,
            List<ChangeFact> expected,
            Map<TableId, List<List<String>>> seededKeys,
            PipelineRun run)
            throws Exception {
        KinesisTail tail = new KinesisTail(kinesis.client(), STREAM);
        KinesisFacts stream = new KinesisFacts(keyColumns);
        ChangeFactComparison[] last = new ChangeFactComparison[1];
        List<ChangeFact> observed = new ArrayList<>();
        Deadline.of(Duration.ofSeconds(90))
                .await(
                        () -> "the Kinesis stream (with its dead letters) to hold every decoded " + "change:\n"
                                + last[0],
                        () -> {
                            assertAlive(run, last[0]);
                            stream.add(tail.poll());
                            observed.clear();
                            observed.addAll(stream.streamed());
                            observed.addAll(deadLettered(log, "kinesis"));
                            last[0] = ChangeFactComparison.compare("kinesis", expected, observed);
                            return last[0].complete();
                        });
        assertThat(last[0].matches())
                .withFailMessage("Kinesis after de-duplication by eventId: %s", last[0])
                .isTrue();
        for (JsonNode letter :
                KinesisFacts.deadLetters(deadLetters(log), "kinesis").values()) {
            assertThat(letter.get("table").asText())
                    .as("Kinesis dead letter %s: only the 10 MB docs exceed 1 MiB", letter)
                    .isEqualTo(AdversarialSchema.DOCS.toString());
        }
        assertThat(keysPerTable(stream.snapshot()))
                .as("snapshot records on Kinesis")
                .isEqualTo(seededKeys);
    }

    private static void assertLogLatestStateEqualsTables(PostgresStandIn pg, String db, Path log) throws Exception {
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                Connection c = pg.connect(db)) {
            Map<TableId, TableSchema> schemas = verifier.schemas();
            for (TableId t : AdversarialSchema.TABLES) {
                assertThat(verifier.duplicateEventIds(t))
                        .as("duplicate event ids in %s", t)
                        .isEmpty();
                assertThat(EventLogVerifier.differences(
                                EventLogVerifier.databaseState(c, schemas.get(t)),
                                verifier.latestState(schemas.get(t)),
                                10))
                        .as("latest state of %s in the log vs SELECT", t)
                        .isEmpty();
            }
        }
    }

    /**
     * Every mappable row is an equal item; a row the mapper cannot make an item of (the 10 MB docs
     * exceed DynamoDB's 400 KB) is no item but a dead letter of the read model.
     */
    private static void assertReadModel(
            PostgresStandIn pg, String db, DynamoDbStandIn dynamo, Path log, List<DynamoDbTableMapping> mappings)
            throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        List<String> unmappable = new ArrayList<>();
        Deadline.of(Duration.ofSeconds(90))
                .await(() -> "read model equal to the tables:\n" + report.toString(StandardCharsets.UTF_8), () -> {
                    report.reset();
                    unmappable.clear();
                    try (Connection c = pg.connect(db)) {
                        ReadModelVerifier verifier = new ReadModelVerifier(
                                c, dynamo.client(), new PrintStream(report, true, StandardCharsets.UTF_8), 10);
                        boolean all = true;
                        for (DynamoDbTableMapping m : mappings) {
                            ReadModelVerifier.TableResult r = verifier.verify(m);
                            unmappable.addAll(r.unmappable);
                            all &= r.missing.isEmpty()
                                    && r.extra.isEmpty()
                                    && r.differing.isEmpty()
                                    && r.items == r.sourceRows - r.unmappable.size();
                        }
                        return all;
                    }
                });
        try (Connection c = pg.connect(db)) {
            assertThat(unmappable)
                    .as("rows that cannot be items: the docs over 400 KB")
                    .containsExactlyInAnyOrderElementsOf(column(
                            c,
                            "SELECT 'public.adv_docs/' || id FROM adv_docs" + " WHERE octet_length(body) > "
                                    + DYNAMODB_ITEM_LIMIT));
        }
        List<String> letteredKeys = KinesisFacts.deadLetters(deadLetters(log), "dynamodb").values().stream()
                .map(l -> l.get("key").asText())
                .collect(Collectors.toList());
        assertThat(letteredKeys).as("DynamoDB dead letters").containsAll(unmappable);
    }

    /** Kinesis dead letters as the log's facts of the same event ids (the log holds every event). */
    private static List<ChangeFact> deadLettered(Path log, String destination) throws Exception {
        Map<String, JsonNode> letters = KinesisFacts.deadLetters(deadLetters(log), destination);
        List<ChangeFact> out = new ArrayList<>();
        if (letters.isEmpty()) {
            return out;
        }
        Map<TableId, EventLogFacts> byTable = new HashMap<>();
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                EventLogDuckDb duck = EventLogDuckDb.open(log)) {
            for (Map.Entry<TableId, TableSchema> s : verifier.schemas().entrySet()) {
                byTable.put(s.getKey(), EventLogFacts.read(duck, log, s.getValue()));
            }
        }
        for (Map.Entry<String, JsonNode> letter : letters.entrySet()) {
            EventLogFacts facts =
                    byTable.get(TableId.parse(letter.getValue().get("table").asText()));
            ChangeFact f = facts == null ? null : facts.event(letter.getKey());
            if (f == null) {
                throw new AssertionError(
                        destination + " dead letter " + letter.getValue() + " names an event the log lacks");
            }
            out.add(new ChangeFact(
                    f.table(), f.key(), f.op(), f.txId(), destination + " dead letter " + letter.getKey()));
        }
        return out;
    }

    private static EventLogFacts logFacts(Path log) throws Exception {
        List<ChangeFact> streamed = new ArrayList<>();
        List<ChangeFact> snapshot = new ArrayList<>();
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                EventLogDuckDb duck = EventLogDuckDb.open(log)) {
            for (TableSchema s : verifier.schemas().values()) {
                EventLogFacts f = EventLogFacts.read(duck, log, s);
                streamed.addAll(f.streamed());
                snapshot.addAll(f.snapshot());
            }
        }
        return EventLogFacts.of(streamed, snapshot);
    }

    private static void awaitSnapshot(Path log, Map<TableId, List<List<String>>> seededKeys, PipelineRun run)
            throws Exception {
        Map<TableId, List<List<String>>> seen = new TreeMap<>();
        Deadline.of(Duration.ofMinutes(3))
                .await(
                        () -> "the seeded rows as snapshot rows in the event log; seen "
                                + seen.entrySet().stream()
                                        .map(e ->
                                                e.getKey() + "=" + e.getValue().size())
                                        .collect(Collectors.toList())
                                + " of "
                                + seededKeys.entrySet().stream()
                                        .map(e ->
                                                e.getKey() + "=" + e.getValue().size())
                                        .collect(Collectors.toList()),
                        () -> {
                            assertAlive(run, null);
                            seen.clear();
                            seen.putAll(keysPerTable(logFacts(log).snapshot()));
                            return seen.keySet().containsAll(seededKeys.keySet())
                                    && seededKeys.entrySet().stream()
                                            .allMatch(e -> seen.get(e.getKey()).size()
                                                    >= e.getValue().size());
                        });
    }

    /** Fails at once, with the job's failure and what had arrived so far, if the job has ended. */
    private static void assertAlive(PipelineRun run, ChangeFactComparison sofar) throws Exception {
        if (run.status().isGloballyTerminalState()) {
            Throwable cause = run.cluster()
                    .requestJobResult(run.jobId())
                    .get(30, TimeUnit.SECONDS)
                    .getSerializedThrowable()
                    .map(t -> (Throwable) t)
                    .orElse(null);
            throw new IllegalStateException(
                    "the job ended as " + run.status() + (sofar == null ? "" : "; so far:\n" + sofar), cause);
        }
    }

    private static Map<TableId, List<List<String>>> keysPerTable(List<ChangeFact> facts) {
        Map<TableId, List<List<String>>> out = new TreeMap<>();
        for (ChangeFact f : facts) {
            out.computeIfAbsent(f.table(), t -> new ArrayList<>()).add(f.key());
        }
        out.values().forEach(keys -> keys.sort(AdversarialWorkloadITCase::compareKeys));
        return out;
    }

    private static List<List<String>> keys(Connection c, TableId t, List<String> columns) throws SQLException {
        String select = columns.stream().map(k -> k + "::text").collect(Collectors.joining(" || chr(1) || "));
        List<List<String>> out = new ArrayList<>();
        for (String k : column(c, "SELECT " + select + " FROM " + t)) {
            out.add(List.of(k.split("\u0001", -1)));
        }
        out.sort(AdversarialWorkloadITCase::compareKeys);
        return out;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        return String.join("\u0001", a).compareTo(String.join("\u0001", b));
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Path deadLetters(Path log) {
        return log.resolveSibling(log.getFileName() + "-dead-letters");
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
                        "adversarial",
                        "publication.name",
                        "adversarial",
                        "tables.include",
                        AdversarialSchema.INCLUDE,
                        "snapshot.split-size",
                        "10",
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
                        String.join(" | ", AdversarialSchema.DYNAMODB_MAPPINGS)));
        return JobConfig.of(new PropertyGroups(groups));
    }
}
