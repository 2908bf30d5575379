package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbJournalCommand;
import io.tributary.dynamodb.DynamoDbJournalLayout;
import io.tributary.event.Op;
import io.tributary.event.TableId;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.adversarial.ChangeFact;
import io.tributary.harness.adversarial.ChangeFactComparison;
import io.tributary.harness.adversarial.DecodedChange;
import io.tributary.harness.adversarial.DecodedOracle;
import io.tributary.harness.adversarial.TestDecodingSlot;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.replay.ReplayJob;
import io.tributary.job.replay.ReplayResult;
import io.tributary.job.replay.ReplaySettings;
import io.tributary.postgres.PostgresSourceSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * From PostgreSQL to the DynamoDB event journal, snapshot then a mixed stream (multi-row transactions,
 * savepoint rollbacks, TRUNCATEs, large TOASTed text) with a TaskManager failure in the middle. The
 * oracle is a {@code test_decoding} slot created before the job: for every row, the journal's items in
 * sort-key order are the row's decoded changes (op, transaction id, and each column of the new image as
 * PostgreSQL printed it); the snapshot items are the rows as {@code SELECT} read them before the
 * stream; no change is there twice; both indexes answer their queries; the reading command prints a
 * row's history; replaying the event log into an empty journal ({@code --journal}) writes exactly the
 * same items.
 */
class JournalEndToEndITCase {
    private static final Logger LOG = LoggerFactory.getLogger(JournalEndToEndITCase.class);
    private static final String JOURNAL = "journal";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJournalHoldsEveryRowsDecodedHistoryOnceAcrossATaskManagerFailure(@TempDir Path dir) throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("journal_e2e");
            Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(pg, db, 300);
            Map<TableId, Map<List<String>, Map<String, String>>> initial = new HashMap<>();
            Map<TableId, List<String>> keyColumns = new LinkedHashMap<>();
            Map<TableId, Map<String, String>> columnTypes = new HashMap<>();
            try (Connection c = pg.connect(db)) {
                for (DemoTable t : DemoTable.values()) {
                    initial.put(t.tableId(), DemoSchema.currentRows(c, t));
                    keyColumns.put(t.tableId(), t.keyColumns());
                    columnTypes.put(
                            t.tableId(),
                            t.columns().stream()
                                    .collect(Collectors.toMap(DemoTable.Column::name, DemoTable.Column::type)));
                }
            }
            dynamo.client().createTable(DynamoDbJournalLayout.createTableRequest(JOURNAL));
            dynamo.client().waiter().waitUntilTableExists(r -> r.tableName(JOURNAL));

            Connection oracleConnection = pg.connect(db);
            TestDecodingSlot oracle = TestDecodingSlot.create(oracleConnection, "oracle_journal");
            JobConfig config = config(pg, db, dir.resolve("log"), dynamo.endpoint());
            long snapshotRows =
                    seeded.values().stream().mapToLong(Long::longValue).sum();
            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), true),
                    2)) {
                Deadline.of(Duration.ofMinutes(3)).await("the snapshot in the journal", () -> {
                    EventLogEndToEndITCase.alive(run);
                    return dynamo.scan(JOURNAL).stream()
                                    .filter(i -> i.get("snapshot").bool())
                                    .count()
                            >= snapshotRows + DemoTable.values().length;
                });
                TrafficCounts traffic;
                try (TrafficGenerator gen = TrafficGenerator.builder(() -> pg.connect(db))
                        .changesPerSecond(400)
                        .rowsPerTransaction(3)
                        .maxChanges(2_500)
                        .seed(13)
                        .savepointRollbacks(10)
                        .truncateProductsEvery(120)
                        .build()) {
                    gen.start();
                    Deadline.of(Duration.ofMinutes(2))
                            .await("traffic under way", () -> gen.counts().total() >= 1_000);
                    run.failTaskManager();
                    gen.awaitTermination(Duration.ofMinutes(3));
                    assertThat(gen.failure()).isEmpty();
                    traffic = gen.counts();
                }
                List<DecodedChange> decoded = oracle.drain(oracleConnection);
                List<ChangeFact> expected = DecodedOracle.expected(decoded, keyColumns);
                oracle.drop(oracleConnection);
                oracleConnection.close();
                long want = snapshotRows + DemoTable.values().length + expected.size();
                List<Map<String, AttributeValue>> items = new ArrayList<>();
                Deadline.of(Duration.ofMinutes(4))
                        .await(() -> "journal to hold " + want + " items; it holds " + items.size(), () -> {
                            EventLogEndToEndITCase.alive(run);
                            items.clear();
                            items.addAll(dynamo.scan(JOURNAL));
                            return items.size() >= want;
                        });

                assertThat(items)
                        .as("items (snapshot rows, baselines, decoded changes)")
                        .hasSize((int) want);
                assertThat(items.stream()
                                .map(i -> i.get("event_id").s())
                                .distinct()
                                .count())
                        .as("distinct event ids")
                        .isEqualTo(items.size());
                items.sort(Comparator.comparing(
                                (Map<String, AttributeValue> i) -> i.get("row").s())
                        .thenComparing(i -> i.get("position").s()));

                assertSnapshot(items, initial, columnTypes);
                List<Map<String, AttributeValue>> streamed =
                        items.stream().filter(i -> !i.get("snapshot").bool()).collect(Collectors.toList());
                ChangeFactComparison comparison =
                        ChangeFactComparison.compare("journal", expected, facts(streamed, keyColumns));
                assertThat(comparison.matches())
                        .as("journal vs decoded changes: %s", comparison)
                        .isTrue();
                assertNewImages(decoded, streamed, keyColumns);
                assertIndexes(dynamo, streamed, expected);
                assertReadingCommand(dynamo, items);

                // the same history replayed from the event log into an empty journal gives exactly the same items
                CaptureFixture.awaitEvents(
                        dir.resolve("log"),
                        CaptureFixture.expectedEvents(seeded, List.of(traffic)),
                        Duration.ofMinutes(3),
                        () -> EventLogEndToEndITCase.alive(run));
                assertReplayWritesTheSameItems(dir, dynamo, config, items);
            }
        }
    }

    private static void assertReplayWritesTheSameItems(
            Path dir, DynamoDbStandIn dynamo, JobConfig streaming, List<Map<String, AttributeValue>> streamed)
            throws Exception {
        String replayTable = "journal_replay";
        dynamo.client().createTable(DynamoDbJournalLayout.createTableRequest(replayTable));
        dynamo.client().waiter().waitUntilTableExists(r -> r.tableName(replayTable));
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        PostgresSourceSettings source = streaming.sourceSettings();
        groups.put(
                "source.postgres",
                Map.of(
                        "hostname",
                        source.hostname(),
                        "port",
                        Integer.toString(source.port()),
                        "database",
                        source.database(),
                        "username",
                        source.username(),
                        "password",
                        source.password(),
                        "tables.include",
                        String.join(";", source.tableInclude())));
        groups.put(
                "sink.eventlog",
                Map.of("enabled", "false", "path", dir.resolve("log").toUri().toString()));
        groups.put(
                "dead-letters",
                Map.of("path", dir.resolve("replay-dead-letters").toUri().toString()));
        groups.put(
                "sink.dynamodb",
                Map.of("endpoint", dynamo.endpoint(), "local", "true", "region", DynamoDbStandIn.REGION));
        groups.put("sink.dynamodb-journal", Map.of("table", replayTable)); // not enabled: --journal writes it
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        ReplayResult result = ReplayJob.run(
                StreamExecutionEnvironment.createLocalEnvironment(2, conf),
                JobConfig.of(new PropertyGroups(groups)),
                ReplaySettings.builder()
                        .logPath(dir.resolve("log").toUri().toString())
                        .journalOnly(true)
                        .progressInterval(Duration.ofSeconds(5))
                        .build(),
                System.out);
        LOG.info("{}", result);
        Map<String, Map<String, AttributeValue>> want = new HashMap<>();
        streamed.forEach(
                i -> want.put(i.get("row").s() + " " + i.get("position").s(), i));
        Map<String, Map<String, AttributeValue>> got = new HashMap<>();
        dynamo.scan(replayTable)
                .forEach(i -> got.put(i.get("row").s() + " " + i.get("position").s(), i));
        assertThat(got.keySet()).as("keys of the replayed journal").isEqualTo(want.keySet());
        List<String> different = new ArrayList<>();
        want.forEach((key, item) -> {
            if (!item.equals(got.get(key)) && different.size() < 5) {
                different.add(key + ": streamed " + item + "\n  replayed " + got.get(key));
            }
        });
        assertThat(different).as("items the replay wrote differently").isEmpty();
    }

    private static JobConfig config(PostgresStandIn pg, String db, Path log, String dynamoEndpoint) {
        Map<String, String> source = new HashMap<>();
        source.put("hostname", pg.host());
        source.put("port", Integer.toString(pg.port()));
        source.put("database", db);
        source.put("username", PostgresStandIn.USER);
        source.put("password", PostgresStandIn.PASSWORD);
        source.put("slot.name", "tributary_" + db);
        source.put("publication.name", "tributary_" + db);
        source.put("tables.include", CaptureFixture.DEMO_TABLES);
        source.put("snapshot.split-size", "100");
        source.put("heartbeat.interval", "1 s");
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source.postgres", source);
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        groups.put(
                "sink.dynamodb", Map.of("endpoint", dynamoEndpoint, "local", "true", "region", DynamoDbStandIn.REGION));
        groups.put("sink.dynamodb-journal", Map.of("enabled", "true", "table", JOURNAL, "max-buffer-time", "200 ms"));
        return JobConfig.of(new PropertyGroups(groups));
    }

    /** Per table: one baseline TRUNCATE, and one snapshot item per row whose new image is the row as SELECT read it. */
    private static void assertSnapshot(
            List<Map<String, AttributeValue>> items,
            Map<TableId, Map<List<String>, Map<String, String>>> initial,
            Map<TableId, Map<String, String>> types) {
        for (Map.Entry<TableId, Map<List<String>, Map<String, String>>> table : initial.entrySet()) {
            List<Map<String, AttributeValue>> snapshot = items.stream()
                    .filter(i -> i.get("snapshot").bool()
                            && i.get("table").s().equals(table.getKey().toString()))
                    .collect(Collectors.toList());
            assertThat(snapshot.stream()
                            .filter(i -> i.get("op").s().equals("T"))
                            .count())
                    .as("baseline TRUNCATE of %s", table.getKey())
                    .isEqualTo(1);
            assertThat(snapshot.stream()
                            .filter(i -> i.get("op").s().equals("I"))
                            .count())
                    .as("snapshot items of %s", table.getKey())
                    .isEqualTo(table.getValue().size());
            for (Map<String, AttributeValue> item : snapshot) {
                if (item.get("op").s().equals("T")) {
                    assertThat(item.get("row").s()).isEqualTo(table.getKey() + "#");
                    continue;
                }
                List<String> key =
                        DynamoDbJournalLayout.parseRow(item.get("row").s());
                Map<String, String> row = table.getValue().get(key.subList(1, key.size()));
                assertThat(row)
                        .as("a row of %s with key %s", table.getKey(), key)
                        .isNotNull();
                Map<String, AttributeValue> image = item.get("new").m();
                for (Map.Entry<String, String> column : row.entrySet()) {
                    String type = types.get(table.getKey()).get(column.getKey());
                    assertThat(JournalImageText.matches(type, column.getValue(), image.get(column.getKey())))
                            .as(
                                    "%s %s = %s in snapshot item %s",
                                    table.getKey(), column.getKey(), column.getValue(), image.get(column.getKey()))
                            .isTrue();
                }
            }
        }
    }

    /** Streamed items as facts: table, key (the row key's parts, PostgreSQL's text of each integer key), op, tx. */
    private static List<ChangeFact> facts(
            List<Map<String, AttributeValue>> items, Map<TableId, List<String>> keyColumns) {
        List<ChangeFact> facts = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            TableId table = TableId.parse(item.get("table").s());
            List<String> parts = DynamoDbJournalLayout.parseRow(item.get("row").s());
            Op op = opOf(item.get("op").s());
            facts.add(new ChangeFact(
                    table,
                    parts.subList(1, parts.size()),
                    op,
                    Long.parseLong(item.get("tx_id").n()),
                    "journal " + item.get("row").s() + " @ "
                            + item.get("position").s()));
            if (op != Op.TRUNCATE) {
                List<String> keyAttribute = new ArrayList<>();
                keyColumns
                        .get(table)
                        .forEach(
                                k -> keyAttribute.add(item.get("key").m().get(k).n()));
                assertThat(keyAttribute)
                        .as("key attribute of %s", item.get("row").s())
                        .isEqualTo(parts.subList(1, parts.size()));
            }
        }
        return facts;
    }

    private static Op opOf(String code) {
        for (Op op : Op.values()) {
            if (op.code().equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op " + code);
    }

    /**
     * Each row's INSERTs and UPDATEs, decoded and journalled, in order: every column test_decoding printed (an
     * unchanged TOASTed value excepted: it printed none) is in the journal's new image with the same value.
     */
    private static void assertNewImages(
            List<DecodedChange> decoded,
            List<Map<String, AttributeValue>> streamed,
            Map<TableId, List<String>> keyColumns) {
        Map<String, List<DecodedChange>> wanted = new LinkedHashMap<>();
        for (DecodedChange c : decoded) {
            List<String> keys = keyColumns.get(c.table());
            if (keys != null && (c.op() == Op.INSERT || c.op() == Op.UPDATE)) { // a key update: the new key's INSERT
                wanted.computeIfAbsent(c.table() + "#" + String.join("#", c.key(keys)), k -> new ArrayList<>())
                        .add(c);
            }
        }
        Map<String, List<Map<String, AttributeValue>>> got = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : streamed) {
            if (item.get("op").s().equals("U") || item.get("op").s().equals("I")) {
                got.computeIfAbsent(item.get("row").s(), k -> new ArrayList<>()).add(item);
            }
        }
        int compared = 0;
        for (Map.Entry<String, List<DecodedChange>> row : wanted.entrySet()) {
            List<Map<String, AttributeValue>> journal = got.getOrDefault(row.getKey(), List.of());
            assertThat(journal).as("INSERTs and UPDATEs of %s", row.getKey()).hasSameSizeAs(row.getValue());
            for (int i = 0; i < journal.size(); i++) {
                Map<String, AttributeValue> image = journal.get(i).get("new").m();
                for (DecodedChange.Value v : row.getValue().get(i).newTuple()) {
                    if (v.unchangedToast()) {
                        continue;
                    }
                    assertThat(JournalImageText.matches(v.type(), v.text(), image.get(v.column())))
                            .as(
                                    "%s %s in %s: decoded %s, journal %s",
                                    row.getKey(),
                                    v.column(),
                                    journal.get(i).get("position").s(),
                                    v,
                                    image.get(v.column()))
                            .isTrue();
                    compared++;
                }
            }
        }
        assertThat(compared).as("values compared").isGreaterThan(1_000);
    }

    /** by_tx returns exactly each transaction's decoded changes in order; by_table_time a table's window in commit order. */
    private static void assertIndexes(
            DynamoDbStandIn dynamo, List<Map<String, AttributeValue>> streamed, List<ChangeFact> expected) {
        Map<Long, List<ChangeFact.Identity>> perTx = new LinkedHashMap<>();
        expected.forEach(
                f -> perTx.computeIfAbsent(f.txId(), k -> new ArrayList<>()).add(f.identity()));
        int checked = 0;
        for (Map.Entry<Long, List<ChangeFact.Identity>> tx : perTx.entrySet()) {
            if (checked++ % 7 != 0) {
                continue; // every 7th transaction keeps the run short
            }
            List<Map<String, AttributeValue>> found =
                    DynamoDbJournalCommand.query(dynamo.client(), DynamoDbJournalCommand.byTx(JOURNAL, tx.getKey()));
            List<ChangeFact.Identity> got = found.stream()
                    .map(i -> facts(
                                    List.of(i),
                                    Map.of(TableId.parse(i.get("table").s()), keyColumnsOf(i)))
                            .get(0)
                            .identity())
                    .collect(Collectors.toList());
            // a key update is a DELETE and an INSERT at one position, which the index may return either way round
            assertThat(got)
                    .as("transaction %s from index by_tx", tx.getKey())
                    .containsExactlyInAnyOrderElementsOf(tx.getValue());
            assertThat(found.stream().map(i -> i.get("position").s()).collect(Collectors.toList()))
                    .as("positions of transaction %s", tx.getKey())
                    .isSorted();
        }

        List<Map<String, AttributeValue>> orders = streamed.stream()
                .filter(i -> i.get("table").s().equals("public.orders"))
                .sorted(Comparator.comparing(i -> i.get("commit_position").s()))
                .collect(Collectors.toList());
        assertThat(orders.size()).isGreaterThan(100);
        Instant from =
                Instant.parse(orders.get(orders.size() / 4).get("commit_time").s());
        Instant until =
                Instant.parse(orders.get(orders.size() / 2).get("commit_time").s());
        List<String> inWindow = orders.stream()
                .filter(i -> {
                    Instant t = Instant.parse(i.get("commit_time").s());
                    return !t.isBefore(from) && !t.isAfter(until);
                })
                .map(i -> i.get("event_id").s())
                .collect(Collectors.toList());
        List<String> fromIndex = DynamoDbJournalCommand.query(
                        dynamo.client(), DynamoDbJournalCommand.byTableTime(JOURNAL, "public.orders", from, until))
                .stream()
                .map(i -> i.get("event_id").s())
                .collect(Collectors.toList());
        assertThat(fromIndex)
                .as("orders committed in [%s, %s] from index by_table_time", from, until)
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(inWindow);
        List<String> order = DynamoDbJournalCommand.query(
                        dynamo.client(), DynamoDbJournalCommand.byTableTime(JOURNAL, "public.orders", from, until))
                .stream()
                .map(i -> i.get("commit_position").s())
                .collect(Collectors.toList());
        assertThat(order).as("commit order").isSorted();
    }

    private static List<String> keyColumnsOf(Map<String, AttributeValue> item) {
        for (DemoTable t : DemoTable.values()) {
            if (t.tableId().toString().equals(item.get("table").s())) {
                return t.keyColumns();
            }
        }
        throw new IllegalArgumentException(
                "not a demo table: " + item.get("table").s());
    }

    /** {@code journal --row … --json} prints the row's items, oldest first; the text form ends with the count. */
    private static void assertReadingCommand(DynamoDbStandIn dynamo, List<Map<String, AttributeValue>> items)
            throws Exception {
        Map<String, Long> perRow =
                items.stream().collect(Collectors.groupingBy(i -> i.get("row").s(), Collectors.counting()));
        String row = perRow.entrySet().stream()
                .filter(e -> e.getKey().startsWith("public.orders#"))
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        List<String> positions = items.stream()
                .filter(i -> i.get("row").s().equals(row))
                .map(i -> i.get("position").s())
                .collect(Collectors.toList());
        String[] base = {"--table", JOURNAL, "--endpoint", dynamo.endpoint(), "--local", "--row", row};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] json = Arrays.copyOf(base, base.length + 1);
        json[base.length] = "--json";
        assertThat(DynamoDbJournalCommand.run(json, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isZero();
        List<String> printed = new ArrayList<>();
        Set<String> rows = new HashSet<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode node = JSON.readTree(line);
            printed.add(node.get("position").asText());
            rows.add(node.get("row").asText());
        }
        assertThat(printed).isEqualTo(positions);
        assertThat(rows).containsExactly(row);
        out.reset();
        assertThat(DynamoDbJournalCommand.run(base, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(positions.size() + " changes\n");
    }
}
