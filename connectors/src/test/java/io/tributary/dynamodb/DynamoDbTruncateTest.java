package io.tributary.dynamodb;

import static io.tributary.event.TestTables.WIDGETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.deadletter.DeadLetter;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.TestTables;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A TRUNCATE in the DynamoDB writer, against an in-memory DynamoDB that scans in pages of two. */
class DynamoDbTruncateTest {
    private final FakeDynamoDbClient client = new FakeDynamoDbClient("_version", "id");
    private final List<DeadLetter> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private final DynamoDbSinkMetrics metrics = new DynamoDbSinkMetrics(new UnregisteredMetricsGroup());
    private DynamoDbChangeSinkWriter writer;

    private DynamoDbChangeSinkWriter writer(String options) {
        DynamoDbTableMapping mapping = DynamoDbTableMapping.parse("public.widgets=widgets;partition=id:N" + options);
        DynamoDbSinkSettings settings = DynamoDbSinkSettings.builder()
                .addMapping(mapping)
                .maxInFlightRequests(3)
                .maxBufferedItems(1000)
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

    private static ChangeEvent put(int id, long lsn) {
        return TestTables.insert(WIDGETS, lsn, id, (int) lsn, "w" + id, null);
    }

    /** At commit LSN 150 (change 50): between the writes at 10..40 and those at 60+. */
    private static ChangeEvent truncate(int copy, int copies) {
        return TestTables.event(WIDGETS, Op.TRUNCATE, 50, null, null).toBuilder()
                .truncateCopy(copy, copies, copies == 1 ? null : "public.widgets\u0000" + copy)
                .build();
    }

    private Map<String, AttributeValue> item(int id) {
        return client.item("widgets", AttributeValue.fromN(Integer.toString(id)));
    }

    @Test
    void earlierWritesLandFirstThenEveryOlderItemGoesAndNewerOnesStay() throws Exception {
        writer("");
        for (int id = 1; id <= 7; id++) {
            writer.write(put(id, 10 + id), null); // still buffered when the TRUNCATE arrives
        }
        client.items.put(
                "widgets|" + AttributeValue.fromN("20") + "|",
                Map.of(
                        "id",
                        AttributeValue.fromN("20"),
                        "_version",
                        AttributeValue.fromS(DynamoDbItemMapper.version(500, 400)))); // a newer change, already there
        client.items.put("widgets|" + AttributeValue.fromN("21") + "|", Map.of("id", AttributeValue.fromN("21")));
        client.failures =
                n -> n % 5 == 0 ? FakeDynamoDbClient.error("ProvisionedThroughputExceededException", 400) : null;

        writer.write(truncate(0, 1), null);
        writer.write(put(2, 60), null); // a key reused after the TRUNCATE
        writer.flush(false);

        for (int id = 1; id <= 7; id++) {
            if (id != 2) {
                assertThat(item(id)).as("row %s", id).isNull();
            }
        }
        assertThat(item(2)).containsEntry("qty", AttributeValue.fromN("60"));
        assertThat(item(20)).as("newer than the TRUNCATE").isNotNull();
        assertThat(item(21)).as("not written by the sink").isNotNull();
        assertThat(client.scans.get()).as("pages of two").isGreaterThanOrEqualTo(4);
        assertThat(metrics.itemsTruncated().getCount()).isEqualTo(7);
        assertThat(metrics.truncatesApplied().getCount()).isEqualTo(1);
        assertThat(metrics.retries().getCount()).isGreaterThan(0);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void everyCopyAppliesItAndASecondScanFindsNothingLeft() throws Exception {
        writer("");
        writer.write(put(1, 11), null);
        writer.write(truncate(0, 2), null);
        writer.write(truncate(1, 2), null);
        writer.flush(false);

        assertThat(item(1)).isNull();
        assertThat(metrics.truncatesApplied().getCount()).isEqualTo(2);
        assertThat(metrics.itemsTruncated().getCount()).isEqualTo(1);
    }

    @Test
    void tombstoneModeLeavesTombstonesThatFenceOlderReplays() throws Exception {
        writer(";tombstone");
        writer.write(put(1, 11), null);
        writer.write(truncate(0, 1), null);
        writer.write(put(1, 11), null); // a replay from before the TRUNCATE
        writer.flush(false);

        assertThat(item(1))
                .containsEntry("_deleted", AttributeValue.fromBool(true))
                .containsEntry("_version", AttributeValue.fromS(DynamoDbItemMapper.version(150, 50)))
                .doesNotContainKey("qty");
    }

    @Test
    void deadLetterModeKeepsTheItemsAndCopyZeroWritesOneLetter() throws Exception {
        writer(";truncate=dead-letter");
        writer.write(put(1, 11), null);
        writer.flush(false);
        writer.write(truncate(0, 2), null);
        writer.write(truncate(1, 2), null);
        writer.flush(false);

        assertThat(item(1)).containsEntry("qty", AttributeValue.fromN("11"));
        assertThat(deadLetters).hasSize(1);
        DeadLetter letter = deadLetters.get(0);
        assertThat(letter.table()).isEqualTo(WIDGETS.table());
        assertThat(letter.key()).isEqualTo("public.widgets");
        assertThat(letter.eventId()).isEqualTo(truncate(0, 1).eventId());
        assertThat(letter.cause()).contains("TRUNCATE of public.widgets", "truncate=dead-letter", "widgets");
        assertThat(client.scans.get()).isZero();
    }

    @Test
    void mappingParsesTheTruncateModeAndRefusesASharedTableItCouldNotTellApart() {
        assertThat(DynamoDbTableMapping.parse("public.a=table1;partition=id:N").truncateMode())
                .isEqualTo(DynamoDbTableMapping.TruncateMode.DELETE);
        assertThat(DynamoDbTableMapping.parse("public.a=table1;partition=id:N;truncate=dead-letter")
                        .truncateMode())
                .isEqualTo(DynamoDbTableMapping.TruncateMode.DEAD_LETTER);
        assertThatThrownBy(() -> DynamoDbTableMapping.parse("public.a=table1;partition=id:N;truncate=keep"))
                .hasMessageContaining("truncate=delete or truncate=dead-letter");
        assertThatThrownBy(() -> DynamoDbSinkSettings.builder()
                        .addMapping(DynamoDbTableMapping.parse("public.a=shared;partition=id:N"))
                        .addMapping(DynamoDbTableMapping.parse("public.b=shared;partition=id:N;truncate=dead-letter"))
                        .build())
                .hasMessageContaining("share table shared");
        DynamoDbSinkSettings.builder()
                .addMapping(DynamoDbTableMapping.parse("public.a=shared;partition=id:N;truncate=dead-letter"))
                .addMapping(DynamoDbTableMapping.parse("public.b=shared;partition=id:N;truncate=dead-letter"))
                .build();
    }
}
