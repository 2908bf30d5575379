package io.tributary.harness.bench;

import io.tributary.dynamodb.DynamoDbJournalLayout;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.job.ProductionEndpoints;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DynamoDB figures: catch-up changes/s and items/s into DynamoDB Local end to end from the
 * database, the share of writes coalescing saves when 100 hot keys are updated many times, and the
 * same catch-up into the event journal.
 */
final class DynamoDbBenchmark {
    static final int PER_TXN = 100;
    static final int HOT_KEYS = 100;
    private static final String HOT_PROCEDURE = "CREATE OR REPLACE PROCEDURE hot_updates(keys int, rounds int)"
            + " LANGUAGE plpgsql AS $$ DECLARE r int; BEGIN"
            + " FOR r IN 1..rounds LOOP"
            + "  UPDATE public.orders SET total = total + 1, priority = r % 5 WHERE id <= keys;"
            + "  COMMIT;"
            + " END LOOP; END $$";

    private DynamoDbBenchmark() {}

    static List<Object> run(BenchSettings settings, long changes, int hotUpdates) throws Exception {
        List<Object> figures = new ArrayList<>();
        try (DynamoDbStandIn dynamoDb = DynamoDbStandIn.start()) {
            figures.add(throughput(settings, dynamoDb, changes));
            figures.add(hotKeys(settings, dynamoDb, hotUpdates));
            figures.add(journal(settings, dynamoDb, changes));
        }
        return figures;
    }

    private static BenchJob dynamoDbJob(BenchSettings settings, DynamoDbStandIn dynamoDb, String name)
            throws Exception {
        String table = "bench-" + name + "-" + System.nanoTime();
        String spec = "public.orders=" + table + ";partition=id:N";
        dynamoDb.createTables(List.of(DynamoDbTableMapping.parse(spec)));
        return BenchJob.create(settings, name, EventLogBenchmarks.ORDERS, false)
                .withoutEventLog()
                .set("sink.dynamodb", "enabled", "true")
                .set("sink.dynamodb", "tables", spec)
                .set("sink.dynamodb", "endpoint", dynamoDb.endpoint())
                .set("sink.dynamodb", "local", "true")
                .set("sink.dynamodb", "region", DynamoDbStandIn.REGION);
    }

    /** Every change ends as a write, a delete, a coalesced change or a stale one; their sum reaches N. */
    private static long settled() {
        return BenchMetrics.sum("itemsWritten")
                + BenchMetrics.sum("itemsDeleted")
                + BenchMetrics.sum("writesCoalesced")
                + BenchMetrics.sum("staleWritesRejected");
    }

    private static long requests() {
        return BenchMetrics.sum("itemsWritten") + BenchMetrics.sum("itemsDeleted");
    }

    private static CeilingFigure throughput(BenchSettings settings, DynamoDbStandIn dynamoDb, long changes)
            throws Exception {
        BenchJob job = dynamoDbJob(settings, dynamoDb, "ddb");
        try {
            String savepoint = job.backlog(changes, PER_TXN, () -> ProductionEndpoints.create(job.config()));
            long start = System.nanoTime();
            try (PipelineRun run = job.restore(ProductionEndpoints.create(job.config()), savepoint)) {
                BenchPoll.Progress p = BenchPoll.await(
                        start, job.deadline, () -> BenchJob.assertAlive(run), DynamoDbBenchmark::settled, changes);
                long writes = requests();
                return EventLogBenchmarks.rate(
                        "catch-up into DynamoDB Local",
                        p.value(),
                        "changes",
                        p.activeSeconds(),
                        String.format(
                                Locale.ROOT,
                                "p=%d, %d rows/txn, 40%%I/40%%U/20%%D;"
                                        + " %,d item writes = %,.0f items/s, %,d coalesced, defaults (50 in flight)%s",
                                job.parallelism,
                                PER_TXN,
                                writes,
                                writes / p.activeSeconds(),
                                BenchMetrics.sum("writesCoalesced"),
                                p.shortfall()));
            }
        } finally {
            job.drop();
        }
    }

    /** The same catch-up into the event journal alone: one item per change, BatchWriteItem of 25. */
    private static CeilingFigure journal(BenchSettings settings, DynamoDbStandIn dynamoDb, long changes)
            throws Exception {
        String table = "bench-journal-" + System.nanoTime();
        dynamoDb.client().createTable(DynamoDbJournalLayout.createTableRequest(table));
        dynamoDb.client().waiter().waitUntilTableExists(r -> r.tableName(table));
        BenchJob job = BenchJob.create(settings, "journal", EventLogBenchmarks.ORDERS, false)
                .withoutEventLog()
                .set("sink.dynamodb", "endpoint", dynamoDb.endpoint())
                .set("sink.dynamodb", "local", "true")
                .set("sink.dynamodb-journal", "enabled", "true")
                .set("sink.dynamodb-journal", "table", table);
        try {
            String savepoint = job.backlog(changes, PER_TXN, () -> ProductionEndpoints.create(job.config()));
            long start = System.nanoTime();
            try (PipelineRun run = job.restore(ProductionEndpoints.create(job.config()), savepoint)) {
                // only the journal writes items here, so itemsWritten is the journal's (one item per change)
                BenchPoll.Progress p = BenchPoll.await(
                        start,
                        job.deadline,
                        () -> BenchJob.assertAlive(run),
                        () -> BenchMetrics.sum("itemsWritten"),
                        changes);
                return EventLogBenchmarks.rate(
                        "catch-up into the DynamoDB Local journal",
                        p.value(),
                        "changes",
                        p.activeSeconds(),
                        String.format(
                                Locale.ROOT,
                                "p=%d, %d rows/txn, 40%%I/40%%U/20%%D;"
                                        + " one item per change, %,d BatchWriteItem requests, %,d unprocessed retried,"
                                        + " defaults (16 batches in flight)%s",
                                job.parallelism,
                                PER_TXN,
                                BenchMetrics.sum("batchesWritten"),
                                BenchMetrics.sum("unprocessedItemsRetried"),
                                p.shortfall()));
            }
        } finally {
            job.drop();
        }
    }

    private static BenchRatio hotKeys(BenchSettings settings, DynamoDbStandIn dynamoDb, int rounds) throws Exception {
        BenchJob job = dynamoDbJob(settings, dynamoDb, "ddbhot");
        long changes = HOT_KEYS + (long) HOT_KEYS * rounds;
        try (PipelineRun run = job.start(ProductionEndpoints.create(job.config()))) {
            job.awaitSlotActive(run);
            long start = System.nanoTime();
            try (Connection c = job.connect();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("INSERT INTO public.orders (id, customer_id, status, total, exchange_rate, placed_at,"
                        + " placed_local, ship_by, priority, is_gift, line_counts, metadata) SELECT g, 1, 'hot', 0,"
                        + " 1.5, now(), localtimestamp, current_date, 0, false, '{1}', '{}' FROM generate_series(1, "
                        + HOT_KEYS + ") g");
                s.execute(HOT_PROCEDURE);
                s.execute("CALL hot_updates(" + HOT_KEYS + ", " + rounds + ")");
            }
            BenchPoll.Progress p = BenchPoll.await(
                    start, job.deadline, () -> BenchJob.assertAlive(run), DynamoDbBenchmark::settled, changes);
            long coalesced = BenchMetrics.sum("writesCoalesced");
            return new BenchRatio(
                    "hot keys, coalescing",
                    100.0 * coalesced / changes,
                    "% of writes saved",
                    1,
                    String.format(
                            Locale.ROOT,
                            "%,d changes -> %,d item writes (%,d coalesced, %,d stale), %.1f s;"
                                    + " %d keys x %,d updates, %d-row txns written live, defaults: 2000 buffered keys,"
                                    + " 500 ms max buffer time%s",
                            changes,
                            requests(),
                            coalesced,
                            BenchMetrics.sum("staleWritesRejected"),
                            p.totalSeconds(),
                            HOT_KEYS,
                            rounds,
                            HOT_KEYS,
                            p.shortfall()));
        } finally {
            job.drop();
        }
    }
}
