package io.tributary.harness.demo;

import io.tributary.dynamodb.DynamoDbJournalCommand;
import io.tributary.dynamodb.DynamoDbJournalLayout;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.cli.LocalFlink;
import io.tributary.harness.progress.ProgressPrinter;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.verify.ReadModelVerifyCommand;

import org.apache.flink.configuration.Configuration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code ./tributary demo}: embedded PostgreSQL with the demo shop, kinesalite and DynamoDB Local; the
 * job on a MiniCluster (web UI) writing the local event log, the Kinesis stream, the read model and the
 * event journal; live progress; at the end per-table counts, a latest-state query, the read-model check
 * and one order's history from the journal.
 */
public final class Demo {
    private static final String STREAM = "tributary-changes";
    private static final PrintStream OUT = System.out;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        DemoArgs a = DemoArgs.parse(args);
        Path work = Files.createDirectories(
                Path.of(System.getProperty("java.io.tmpdir"), "tributary", "demo-" + System.currentTimeMillis()));
        Path log = work.resolve("event-log");
        say("working directory " + work);
        try (PostgresStandIn pg = PostgresStandIn.start();
                KinesisStandIn kinesis = KinesisStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            say("PostgreSQL 15 (wal_level=logical) on " + pg.jdbcUrl("shop") + " (user postgres / postgres)");
            say("Kinesis (kinesalite) on " + kinesis.endpoint() + ", DynamoDB Local on " + dynamo.endpoint());
            String db = pg.createDatabase("shop");
            Map<DemoTable, Long> seeded;
            try (Connection c = pg.connect(db)) {
                DemoSchema.create(c);
                say("seeding " + a.rows + " rows…");
                seeded = DemoSchema.seed(c, a.rows);
            }
            say("seeded " + seeded);
            kinesis.createStream(STREAM, 2);
            List<DynamoDbTableMapping> mappings = mappings();
            dynamo.createTables(mappings);
            dynamo.client().createTable(DynamoDbJournalLayout.createTableRequest(JOURNAL));
            dynamo.client().waiter().waitUntilTableExists(r -> r.tableName(JOURNAL));

            JobConfig config = config(pg, db, log, kinesis.endpoint(), dynamo.endpoint());
            Configuration flink = LocalFlink.load();
            flink.setString("execution.checkpointing.interval", "5 s");
            flink.setString(
                    "execution.checkpointing.dir",
                    work.resolve("checkpoints").toUri().toString());
            flink.setString("rest.port", "8081-8099");
            Map<String, Long> totals = seeded.entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().tableId().toString(), Map.Entry::getValue));
            try (PipelineRun run = PipelineRun.start(config, ProductionEndpoints.create(config), flink, 2);
                    TrafficGenerator traffic = TrafficGenerator.builder(() -> pg.connect(db))
                            .changesPerSecond(a.rate)
                            .rowsPerTransaction(2)
                            .seed(42)
                            // what a legacy database sends: odd values, savepoints rolled back, nightly TRUNCATEs
                            .oddValues(1)
                            .savepointRollbacks(5)
                            .truncateProductsEvery(2_000)
                            .build();
                    ProgressPrinter progress = new ProgressPrinter(OUT, totals, 2_000)
                            .extraLine(() -> "database: " + traffic.counts().total()
                                    + " changes committed by the traffic generator")) {
                say("job running — Flink web UI at " + run.webUrl());
                say("tail the stream in another shell: ./tributary kinesis-tail --endpoint " + kinesis.endpoint()
                        + " --stream " + STREAM);
                progress.start();
                // Changes made while a table's chunks are read fold into its snapshot rows; starting the
                // traffic after the snapshot keeps the closing counts exact (seeded rows + changes).
                Map<DemoTable, Long> snapshotOnly = new LinkedHashMap<>(seeded);
                awaitLog(log, snapshotOnly, run);
                say("snapshot committed to the event log; starting the traffic");
                traffic.start();
                say("traffic at " + a.rate + " changes/s for " + a.seconds + " s (Ctrl-C ends early)");
                Thread stopper = Thread.currentThread();
                Runtime.getRuntime().addShutdownHook(new Thread(stopper::interrupt));
                try {
                    Deadline.of(Duration.ofSeconds(a.seconds)).await("demo time", () -> {
                        run.assertAlive();
                        return false;
                    });
                } catch (AssertionError | InterruptedException timeUp) {
                    // the demo's time is up
                }
                traffic.close();
                say("traffic stopped after " + traffic.counts().total() + " changes; waiting for the job to catch up…");
                Map<DemoTable, Long> expected = new LinkedHashMap<>();
                for (DemoTable t : DemoTable.values()) {
                    // changes(t) counts each TRUNCATE as one event, as the log and the stream carry it (op T)
                    expected.put(
                            t, seeded.getOrDefault(t, 0L) + traffic.counts().changes(t));
                }
                awaitLog(log, expected, run);
                progress.close();
                report(pg, db, log, expected, kinesis, dynamo, mappings);
            }
        }
    }

    private static void awaitLog(Path log, Map<DemoTable, Long> expected, PipelineRun run) throws Exception {
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            Deadline.of(Duration.ofMinutes(5)).await("event log to catch up", () -> {
                run.assertAlive();
                for (DemoTable t : DemoTable.values()) {
                    if (verifier.total(t.tableId()) < expected.get(t)) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    private static void report(
            PostgresStandIn pg,
            String db,
            Path log,
            Map<DemoTable, Long> expected,
            KinesisStandIn kinesis,
            DynamoDbStandIn dynamo,
            List<DynamoDbTableMapping> mappings)
            throws Exception {
        OUT.println();
        OUT.println("=== event log " + log.toUri());
        OUT.printf(
                "  %-22s %10s %10s %8s %8s %8s %8s %4s%n",
                "table", "expected", "in log", "snapshot", "I", "U", "D", "T");
        long baselines = 0;
        try (EventLogVerifier verifier = EventLogVerifier.open(log);
                Connection c = pg.connect(db)) {
            Map<TableId, TableSchema> schemas = verifier.schemas();
            for (DemoTable t : DemoTable.values()) {
                Map<String, Long> n = verifier.counts(t.tableId());
                OUT.printf(
                        "  %-22s %10d %10d %8d %8d %8d %8d %4d%n",
                        t.tableId(),
                        expected.get(t),
                        verifier.total(t.tableId()),
                        n.getOrDefault("snapshot", 0L),
                        n.getOrDefault("I", 0L),
                        n.getOrDefault("U", 0L),
                        n.getOrDefault("D", 0L),
                        n.getOrDefault("T", 0L));
                baselines += verifier.baselines(t.tableId());
            }
            OUT.println("  (plus " + baselines
                    + " snapshot baseline TRUNCATEs, one a table: the marker a re-baseline cuts at)");
            TableSchema orders = schemas.get(DemoTable.ORDERS.tableId());
            Map<List<String>, Map<String, String>> latest = verifier.latestState(orders);
            Map<List<String>, Map<String, String>> current = EventLogVerifier.databaseState(c, orders);
            OUT.println();
            OUT.println(
                    "=== latest state of public.orders from the log (DuckDB, the same SQL as the Athena view), first 5 rows");
            new TreeMap<>(latest.entrySet().stream()
                            .collect(Collectors.toMap(
                                    e -> Long.parseLong(e.getKey().get(0)), Map.Entry::getValue)))
                    .values().stream().limit(5).forEach(row -> OUT.println("  " + abbreviate(row)));
            List<String> diff = EventLogVerifier.differences(current, latest, 5);
            OUT.println("  " + latest.size() + " rows in the log's latest state, " + current.size()
                    + " in the database: " + (diff.isEmpty() ? "equal" : "DIFFERENT " + diff));
        }
        OUT.println();
        KinesisTail tail = new KinesisTail(kinesis.client(), STREAM);
        List<KinesisTail.TailRecord> records = new ArrayList<>();
        long total = expected.values().stream().mapToLong(Long::longValue).sum() + baselines;
        records.addAll(tail.readUntil(r -> r.size() >= total, Duration.ofSeconds(60)));
        OUT.println("=== Kinesis stream " + STREAM + ": " + records.size() + " records (" + total + " expected: changes"
                + " and snapshot baselines; at-least-once, so more means duplicates to drop by eventId)");
        if (!records.isEmpty()) {
            OUT.println("  last: " + new String(records.get(records.size() - 1).data, StandardCharsets.UTF_8));
        }
        OUT.println();
        OUT.println("=== DynamoDB read model vs PostgreSQL (the verify command)");
        try (Connection c = pg.connect(db)) {
            int exit = ReadModelVerifyCommand.run(mappings, c, dynamo.client(), OUT);
            OUT.println(exit == 0 ? "  read model equals the tables" : "  read model DIFFERS from the tables");
        }
        journalReport(
                dynamo, expected.values().stream().mapToLong(Long::longValue).sum());
    }

    /** The journal's size, and the history of the order with the most changes, as {@code ./tributary journal} prints it. */
    private static void journalReport(DynamoDbStandIn dynamo, long changes) throws Exception {
        long[] items = new long[1];
        Deadline.of(Duration.ofMinutes(2))
                .await(() -> "journal to hold " + changes + " changes; it holds " + items[0], () -> {
                    items[0] = 0;
                    dynamo.client()
                            .scanPaginator(b -> b.tableName(JOURNAL).select(Select.COUNT))
                            .forEach(page -> items[0] += page.count());
                    return items[0] >= changes;
                });
        Map<String, Long> perRow = new HashMap<>();
        dynamo.client()
                .scanPaginator(b -> b.tableName(JOURNAL)
                        .projectionExpression("#r")
                        .filterExpression("#t = :t")
                        .expressionAttributeNames(Map.of("#r", "row", "#t", "table"))
                        .expressionAttributeValues(Map.of(
                                ":t",
                                AttributeValue.builder().s("public.orders").build())))
                .items()
                .forEach(i -> perRow.merge(i.get("row").s(), 1L, Long::sum));
        OUT.println();
        OUT.println("=== DynamoDB event journal " + JOURNAL + ": " + items[0] + " items, one per change (snapshot rows,"
                + " baselines, every streamed change)");
        perRow.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(most -> {
            String[] args = {"--table", JOURNAL, "--endpoint", dynamo.endpoint(), "--local", "--row", most.getKey()};
            OUT.println("  history of the most-changed order: ./tributary journal "
                    + String.join(" ", args).replace("--row " + most.getKey(), "--row '" + most.getKey() + "'"));
            DynamoDbJournalCommand.run(args, OUT);
        });
    }

    private static String abbreviate(Map<String, String> row) {
        return row.entrySet().stream()
                .map(e -> e.getKey() + "="
                        + (e.getValue() == null || e.getValue().length() < 40
                                ? e.getValue()
                                : e.getValue().substring(0, 37) + "…"))
                .collect(Collectors.joining(", "));
    }

    private static final String JOURNAL = "shop_journal";
    private static final List<String> MAPPINGS = List.of(
            "public.customers=shop_customers;partition=id:N",
            "public.products=shop_products;partition=id:N",
            "public.orders=shop_orders;partition=id:N",
            "public.order_lines=shop_order_lines;partition=order_id:N;sort=line_no:N");

    static List<DynamoDbTableMapping> mappings() {
        return MAPPINGS.stream().map(DynamoDbTableMapping::parse).collect(Collectors.toList());
    }

    static JobConfig config(PostgresStandIn pg, String db, Path log, String kinesisEndpoint, String dynamoEndpoint) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put("job", Map.of("name", "tributary-demo"));
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
                        "tables.include",
                        "public\\.(customers|products|orders|order_lines)",
                        "snapshot.split-size",
                        "2000",
                        "heartbeat.interval",
                        "5 s"));
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        groups.put("sink.kinesis", KinesisStandIn.sinkGroup(kinesisEndpoint, STREAM));
        groups.put("sink.dynamodb", DynamoDbStandIn.sinkGroup(dynamoEndpoint, MAPPINGS));
        groups.put("sink.dynamodb-journal", Map.of("enabled", "true", "table", JOURNAL));
        return JobConfig.of(new PropertyGroups(groups));
    }

    private static void say(String s) {
        OUT.println("[demo] " + s);
    }

    /** The demo's options. */
    static final class DemoArgs {
        long seconds = 60;
        int rate = 200;
        long rows = 20_000;

        static DemoArgs parse(String[] args) {
            DemoArgs a = new DemoArgs();
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--seconds":
                        a.seconds = Long.parseLong(v);
                        i++;
                        break;
                    case "--rate":
                        a.rate = Integer.parseInt(v);
                        i++;
                        break;
                    case "--rows":
                        a.rows = Long.parseLong(v);
                        i++;
                        break;
                    default:
                        System.err.println("usage: ./tributary demo [--seconds 60] [--rate 200] [--rows 20000]");
                        System.exit(2);
                }
            }
            return a;
        }
    }
}
