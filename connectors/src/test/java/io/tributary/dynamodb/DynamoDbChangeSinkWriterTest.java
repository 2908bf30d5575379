package io.tributary.dynamodb;

import static io.tributary.event.TestTables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.deadletter.DeadLetter;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.TestTables;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

class DynamoDbChangeSinkWriterTest {
    private final FakeDynamoDbClient client = new FakeDynamoDbClient("_version", "id");
    private final List<DeadLetter> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private final DynamoDbSinkMetrics metrics = new DynamoDbSinkMetrics(new UnregisteredMetricsGroup());
    private DynamoDbChangeSinkWriter writer;

    private DynamoDbChangeSinkWriter writer(DynamoDbTableMapping.DeleteMode mode, int maxInFlight, int maxBuffered) {
        DynamoDbTableMapping.Builder mapping = DynamoDbTableMapping.builder(WIDGETS.table())
                .targetTable("widgets")
                .partitionKey("id", ScalarAttributeType.N, "id");
        if (mode == DynamoDbTableMapping.DeleteMode.TOMBSTONE) {
            mapping.tombstone("_deleted", "_expires_at", Duration.ofDays(1));
        }
        DynamoDbSinkSettings settings = DynamoDbSinkSettings.builder()
                .addMapping(mapping.build())
                .maxInFlightRequests(maxInFlight)
                .maxBufferedItems(maxBuffered)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .maxRetries(5)
                .build();
        writer = new DynamoDbChangeSinkWriter(settings, client, deadLetters::add, metrics, null);
        return writer;
    }

    @AfterEach
    void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }

    private static ChangeEvent put(int id, long lsn, int qty) {
        return TestTables.insert(WIDGETS, lsn, id, qty, "w" + id, null);
    }

    private static ChangeEvent delete(int id, long lsn) {
        return TestTables.delete(WIDGETS, lsn, Row.of(id, 0, "w" + id, null));
    }

    private AttributeValue qty(int id) {
        var item = client.item("widgets", AttributeValue.fromN(Integer.toString(id)));
        return item == null ? null : item.get("qty");
    }

    @Test
    void olderOrRepeatedEventNeverOverwritesANewerItem() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 4, 100);
        writer.write(put(1, 50, 5), null);
        writer.flush(false);
        writer.write(put(1, 40, 4), null);
        writer.flush(false);
        writer.write(put(1, 50, 5), null);
        writer.flush(false);
        assertThat(qty(1)).isEqualTo(AttributeValue.fromN("5"));
        assertThat(metrics.staleWritesRejected().getCount()).isEqualTo(2);
        assertThat(metrics.itemsWritten().getCount()).isEqualTo(1);
    }

    @Test
    void coalescingWritesOnlyTheNewestChangePerKey() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 4, 1000);
        for (int i = 1; i <= 100; i++) {
            writer.write(put(7, i * 10L, i), null);
            writer.write(put(8, i * 10L + 1, -i), null);
        }
        writer.write(put(7, 5, 999), null); // older than what is buffered: dropped
        writer.flush(false);
        assertThat(client.requests.get()).isEqualTo(2);
        assertThat(qty(7)).isEqualTo(AttributeValue.fromN("100"));
        assertThat(qty(8)).isEqualTo(AttributeValue.fromN("-100"));
        assertThat(metrics.writesCoalesced().getCount()).isEqualTo(198);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilTheStateIsRight() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 8, 10);
        client.failures = n -> n == 3
                ? FakeDynamoDbClient.error("InternalServerError", 500)
                : n % 4 == 0 ? FakeDynamoDbClient.error("ProvisionedThroughputExceededException", 400) : null;
        for (int i = 0; i < 200; i++) {
            writer.write(put(i % 50, 100 + i, i), null);
        }
        writer.flush(false);
        for (int id = 0; id < 50; id++) {
            assertThat(qty(id)).isEqualTo(AttributeValue.fromN(Integer.toString(150 + id)));
        }
        assertThat(metrics.retries().getCount()).isGreaterThan(0);
    }

    @Test
    void inFlightRequestsStayWithinTheLimit() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 3, 10);
        for (int i = 0; i < 300; i++) {
            writer.write(put(i, 100 + i, i), null);
        }
        writer.flush(true);
        assertThat(client.items).hasSize(300);
        assertThat(client.maxInFlight.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void tombstoneFencesOlderChangesAfterADelete() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.TOMBSTONE, 4, 100);
        writer.write(put(1, 10, 1), null);
        writer.flush(false);
        writer.write(delete(1, 20), null);
        writer.flush(false);
        writer.write(put(1, 10, 1), null); // replayed from before the delete
        writer.flush(false);
        var item = client.item("widgets", AttributeValue.fromN("1"));
        assertThat(item)
                .containsEntry("_deleted", AttributeValue.fromBool(true))
                .doesNotContainKey("qty");
        writer.write(put(1, 30, 3), null); // re-insert after the delete
        writer.flush(false);
        assertThat(qty(1)).isEqualTo(AttributeValue.fromN("3"));
        assertThat(client.item("widgets", AttributeValue.fromN("1"))).doesNotContainKey("_deleted");
    }

    @Test
    void hardDeleteRemovesTheItem() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 4, 100);
        writer.write(put(1, 10, 1), null);
        writer.flush(false);
        writer.write(delete(1, 20), null);
        writer.flush(false);
        assertThat(client.item("widgets", AttributeValue.fromN("1"))).isNull();
        assertThat(metrics.itemsDeleted().getCount()).isEqualTo(1);
    }

    @Test
    void oversizedItemGoesToTheDeadLettersWithItsCause() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 4, 100);
        writer.write(TestTables.insert(WIDGETS, 10, 1, 1, "big", "x".repeat(500_000)), null);
        writer.write(put(2, 11, 2), null);
        writer.flush(false);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.cause()).contains("400 KB");
            assertThat(d.key()).isEqualTo("public.widgets/1");
            assertThat(d.commitLsn()).isEqualTo(110);
            assertThat(d.payloadSummary()).hasSizeLessThan(2100);
        });
        assertThat(qty(2)).isEqualTo(AttributeValue.fromN("2"));
    }

    @Test
    void missingTableFailsTheFlushWithWhatToDo() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 4, 100);
        client.failures = n -> FakeDynamoDbClient.error("ResourceNotFoundException", 400);
        writer.write(put(1, 10, 1), null);
        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(DynamoDbSinkException.class)
                .hasMessageContaining("widgets does not exist")
                .hasMessageContaining("create it");
    }

    @Test
    void persistentThrottlingFailsAfterTheRetryLimit() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 4, 100);
        client.failures = n -> FakeDynamoDbClient.error("ProvisionedThroughputExceededException", 400);
        writer.write(put(1, 10, 1), null);
        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(DynamoDbSinkException.class)
                .hasMessageContaining("after 5 retries");
        assertThat(client.requests.get()).isEqualTo(6);
    }

    @Test
    void unmappedTablesAreSkipped() throws Exception {
        writer(DynamoDbTableMapping.DeleteMode.HARD, 4, 100);
        writer.write(
                TestTables.event(
                        new TableSchema(new TableId("public", "other"), WIDGETS.columns(), WIDGETS.keyColumns()),
                        Op.INSERT,
                        1,
                        null,
                        Row.of(1, 1, "a", null)),
                null);
        writer.flush(false);
        assertThat(client.requests.get()).isZero();
        assertThat(metrics.unmappedSkipped().getCount()).isEqualTo(1);
    }
}
