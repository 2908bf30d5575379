package io.tributary.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.deadletter.DeadLetter;
import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.DynamoDbFaultProxy;
import io.tributary.harness.standin.DynamoDbStandIn;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The journal writer against DynamoDB Local: more than one batch of items all land, a second delivery
 * of every change leaves the table as it was (idempotent), an item over 400 KB becomes a dead letter
 * while its batch lands, unprocessed items and throttling are retried until everything is written, and
 * the start-up check names a missing index.
 */
class DynamoDbJournalWriterITCase {
    private static final TableSchema DOCS = new TableSchema(
            new TableId("public", "docs"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.STRING, "text"), false),
                    new Column("body", ColumnType.of(ValueKind.STRING, "text"), true)),
            List.of("id"));
    private static final TableSchema JSON_DOCS = new TableSchema(
            new TableId("public", "json_docs"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT64, "int8"), false),
                    new Column("doc", ColumnType.of(ValueKind.JSON, "jsonb"), true)),
            List.of("id"));

    @RegisterExtension
    static final StandInExtension<DynamoDbStandIn> DYNAMODB = StandInExtension.dynamoDb();

    private static DynamoDbJournalSettings freshJournal() {
        String table = "journal-" + UUID.randomUUID().toString().substring(0, 8);
        DYNAMODB.get().client().createTable(DynamoDbJournalLayout.createTableRequest(table));
        DYNAMODB.get().client().waiter().waitUntilTableExists(r -> r.tableName(table));
        return DynamoDbJournalSettings.builder(table)
                .maxInFlightBatches(4)
                .maxRetries(60)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(100))
                .ttl(Duration.ofDays(30), "expires_at")
                .build();
    }

    /** Writes {@code events} through a fresh writer and flushes; returns the dead letters. */
    private static List<DeadLetter> write(DynamoDbJournalSettings settings, String endpoint, List<ChangeEvent> events)
            throws Exception {
        List<DeadLetter> letters = new CopyOnWriteArrayList<>();
        DeadLetterHandler handler = letters::add;
        DynamoDbJournalWriter writer = new DynamoDbJournalWriter(
                settings,
                DynamoDbStandIn.clientSettings(endpoint).createClient(),
                handler,
                new DynamoDbJournalMetrics(new UnregisteredMetricsGroup()),
                null);
        try {
            for (ChangeEvent e : events) {
                writer.write(e, null);
            }
            writer.flush(true);
        } finally {
            writer.close();
        }
        return letters;
    }

    /** The table's items by row and position. */
    private static Map<String, Map<String, AttributeValue>> journal(DynamoDbJournalSettings settings) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (Map<String, AttributeValue> item : DYNAMODB.get().scan(settings.table())) {
            Map<String, AttributeValue> previous =
                    items.put(item.get("row").s() + " " + item.get("position").s(), item);
            assertThat(previous).as("two items under one key").isNull();
        }
        return items;
    }

    /** A mixed history over two tables plus a TRUNCATE of one of them, each change with a transaction id. */
    private static List<ChangeEvent> history() {
        List<ChangeEvent> events = new ArrayList<>();
        long tx = 1000;
        for (ChangeEvent e : ReadModelWorkload.mixed(40, 400, 11).events) {
            events.add(e.snapshot() ? e : e.toBuilder().txId(tx++ / 3).build());
        }
        long lsn = events.get(events.size() - 1).commitLsn() + 100;
        events.add(ChangeEvent.builder()
                .schema(ReadModelWorkload.ITEMS)
                .op(Op.TRUNCATE)
                .commitLsn(lsn)
                .changeLsn(lsn)
                .txId(tx)
                .commitTimeMicros(1_795_000_000_000_000L + lsn)
                .build());
        return events;
    }

    @Test
    void everyChangeLandsOnceAndASecondDeliveryChangesNothing() throws Exception {
        DynamoDbJournalSettings settings = freshJournal();
        List<ChangeEvent> events = history();
        DynamoDbJournalItems items = new DynamoDbJournalItems(settings);
        try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(DYNAMODB.get().endpoint(), 1)) {
            assertThat(write(settings, proxy.endpoint(), events)).isEmpty();
            assertThat(proxy.requests("BatchWriteItem"))
                    .as("batches of at most 25")
                    .isGreaterThanOrEqualTo((events.size() + 24) / 25);
            assertThat(proxy.requests("PutItem")).isZero();
        }
        Map<String, Map<String, AttributeValue>> first = journal(settings);
        assertThat(first).hasSize(events.size());
        for (ChangeEvent e : events) {
            assertThat(first.get(items.row(e) + " " + DynamoDbJournalItems.position(e)))
                    .as("item of %s", e)
                    .isEqualTo(items.item(e));
        }

        // the whole history again, then again shuffled: the same keys, the same content, no new item
        List<ChangeEvent> again = new ArrayList<>(events);
        List<ChangeEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(3));
        again.addAll(shuffled);
        assertThat(write(settings, DYNAMODB.get().endpoint(), again)).isEmpty();
        assertThat(journal(settings)).isEqualTo(first);
    }

    @Test
    void anItemOver400KbIsADeadLetterAndTheRestOfItsBatchLands() throws Exception {
        DynamoDbJournalSettings settings = freshJournal();
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String body = i == 7 ? "x".repeat(410 * 1024) : "body " + i;
            events.add(ChangeEvent.builder()
                    .schema(DOCS)
                    .op(Op.INSERT)
                    .after(Row.of("doc#" + i, body))
                    .commitLsn(0x2_0000_0000L + i)
                    .changeLsn(0x2_0000_0000L + i)
                    .txId(50 + i)
                    .commitTimeMicros(1_795_000_000_000_000L)
                    .build());
        }
        String longKey = "k".repeat(2100);
        events.add(ChangeEvent.builder()
                .schema(DOCS)
                .op(Op.INSERT)
                .after(Row.of(longKey, "long key"))
                .commitLsn(0x3_0000_0000L)
                .changeLsn(0x3_0000_0000L)
                .txId(99)
                .commitTimeMicros(1_795_000_000_000_000L)
                .build());

        List<DeadLetter> letters = write(settings, DYNAMODB.get().endpoint(), events);

        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).cause()).contains("400 KB");
        assertThat(letters.get(0).toString()).contains(events.get(7).eventId());
        assertThat(letters.get(1).cause()).contains("2048-byte partition key");
        Map<String, Map<String, AttributeValue>> journal = journal(settings);
        assertThat(journal).hasSize(29);
        assertThat(journal.keySet())
                .as("a '#' in a key value is escaped")
                .contains("public.docs#doc\\#3 " + DynamoDbJournalItems.position(events.get(3)));
    }

    /** A JSON document of {@code levels} nested objects. */
    private static String nested(int levels) {
        return "{\"n\":".repeat(levels) + "1" + "}".repeat(levels);
    }

    @Test
    void jsonAsDeepAsTheReadModelTakesIsWrittenNotDeadLettered() throws Exception {
        DynamoDbJournalSettings settings = freshJournal();
        List<ChangeEvent> events = new ArrayList<>();
        for (int levels : new int[] {30, 31, 32}) {
            events.add(ChangeEvent.builder()
                    .schema(JSON_DOCS)
                    .op(Op.INSERT)
                    .after(Row.of((long) levels, nested(levels)))
                    .commitLsn(0x4_0000_0000L + levels)
                    .changeLsn(0x4_0000_0000L + levels)
                    .txId(7)
                    .commitTimeMicros(1_795_000_000_000_000L)
                    .build());
        }
        assertThat(write(settings, DYNAMODB.get().endpoint(), events))
                .as("dead letters")
                .isEmpty();
        Map<String, Map<String, AttributeValue>> journal = journal(settings);
        assertThat(journal).hasSize(3);
        for (ChangeEvent e : events) {
            AttributeValue doc = journal.get(
                            "public.json_docs#" + e.key().get(0) + " " + DynamoDbJournalItems.position(e))
                    .get("new")
                    .m()
                    .get("doc");
            if ((long) e.key().get(0) <= 30) {
                assertThat(doc.hasM()).as("30 levels nest as M").isTrue();
            } else {
                assertThat(doc.s()).as("deeper documents are their text").isEqualTo(nested((int)
                        (long) e.key().get(0)));
            }
        }
    }

    @Test
    void unprocessedItemsAndThrottledBatchesAreRetriedUntilEveryItemLands() throws Exception {
        DynamoDbJournalSettings settings = freshJournal();
        List<ChangeEvent> events = history();
        try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(DYNAMODB.get().endpoint(), 9)
                .unprocessed(0.3)
                .faults(0.1, 0.05)) {
            assertThat(write(settings, proxy.endpoint(), events)).isEmpty();
            assertThat(proxy.leftUnprocessed()).as("items left unprocessed").isPositive();
            assertThat(proxy.throttled()).isPositive();
        }
        DynamoDbJournalItems items = new DynamoDbJournalItems(settings);
        Map<String, Map<String, AttributeValue>> journal = journal(settings);
        assertThat(journal).hasSize(events.size());
        for (ChangeEvent e : events) {
            assertThat(journal.get(items.row(e) + " " + DynamoDbJournalItems.position(e)))
                    .isEqualTo(items.item(e));
        }
    }

    @Test
    void theStartupCheckNamesAMissingIndexAndAcceptsTheDocumentedTable() {
        DynamoDbJournalSettings good = freshJournal();
        DynamoDbClientProvider clients =
                DynamoDbClientProvider.of(DYNAMODB.get().clientSettings());
        assertThat(DynamoDbJournalTableCheck.run(good.table(), clients)).isEmpty();

        String bare = "journal-bare-" + UUID.randomUUID().toString().substring(0, 8);
        DYNAMODB.get()
                .client()
                .createTable(b -> b.tableName(bare)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(DynamoDbJournalLayout.createTableRequest(bare)
                                .attributeDefinitions()
                                .subList(0, 2))
                        .keySchema(
                                KeySchemaElement.builder()
                                        .attributeName("row")
                                        .keyType(KeyType.HASH)
                                        .build(),
                                KeySchemaElement.builder()
                                        .attributeName("position")
                                        .keyType(KeyType.RANGE)
                                        .build()));
        List<String> problems = DynamoDbJournalTableCheck.run(bare, clients);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("no global secondary index by_table_time");
        assertThat(problems.get(1)).contains("no global secondary index by_tx");

        assertThat(DynamoDbJournalTableCheck.run("journal-missing", clients))
                .singleElement()
                .asString()
                .contains("does not exist");
    }
}
