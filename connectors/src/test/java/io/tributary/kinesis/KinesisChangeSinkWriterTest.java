package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.deadletter.DeadLetter;
import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Row;
import io.tributary.event.TestTables;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.runtime.metrics.groups.MetricsGroupTestUtils;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

class KinesisChangeSinkWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KinesisSinkSettings settings(int batch, int inFlight) {
        return KinesisSinkSettings.builder()
                .streamName("changes")
                .region("eu-west-1")
                .maxBatchRecords(batch)
                .maxInFlightRequests(inFlight)
                .maxBufferedRecords(Math.max(batch, 200))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(8))
                .build();
    }

    private static KinesisChangeSinkWriter writer(
            KinesisSinkSettings s, KinesisAsyncClient client, DeadLetterHandler letters) throws Exception {
        return new KinesisChangeSinkWriter(s, client, letters, 0, MetricsGroupTestUtils.mockWriterMetricGroup());
    }

    /** 40 rows, 25 changes each, interleaved: the order the sequencer emits them in. */
    private static List<ChangeEvent> changes() {
        List<ChangeEvent> events = new ArrayList<>();
        for (int version = 0; version < 25; version++) {
            for (int id = 0; id < 40; id++) {
                long lsn = 1000L * version + id;
                events.add(
                        version == 0
                                ? TestTables.insert(TestTables.WIDGETS, lsn, id, version, "w" + id, "doc")
                                : TestTables.update(
                                        TestTables.WIDGETS,
                                        lsn,
                                        Row.of(id, version - 1, "w" + id, "doc"),
                                        id,
                                        version,
                                        "w" + id,
                                        "doc"));
            }
        }
        return events;
    }

    @Test
    void partialFailuresAndThrottlingNeverReorderARowsRecords() throws Exception {
        FlakyKinesisClient client = new FlakyKinesisClient(0.3, 0.1);
        List<ChangeEvent> events = changes();
        try (KinesisChangeSinkWriter w = writer(settings(16, 4), client, DeadLetterHandler.failJob())) {
            for (ChangeEvent e : events) {
                w.write(e, null);
            }
            w.flush(false);
        }

        assertThat(client.violations).isEmpty();
        assertThat(client.failedEntries.get()).as("the fake injected failures").isGreaterThan(100);
        assertThat(client.maxConcurrentRequests.get()).isBetween(2, 4);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (ChangeEvent e : events) {
            expected.computeIfAbsent(e.routingKey(), k -> new ArrayList<>()).add(e.eventId());
        }
        Map<String, List<String>> stored = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> key : client.storedCopy().entrySet()) {
            List<String> ids = new ArrayList<>();
            for (String record : key.getValue()) {
                ids.add(JSON.readTree(record).get("eventId").asText());
            }
            stored.put(key.getKey(), ids);
        }
        assertThat(stored).isEqualTo(expected);
    }

    @Test
    void batchesHoldManyKeysButOneRecordPerKey() throws Exception {
        FlakyKinesisClient client = new FlakyKinesisClient(0, 0);
        try (KinesisChangeSinkWriter w = writer(settings(500, 1), client, DeadLetterHandler.failJob())) {
            for (ChangeEvent e : changes()) {
                w.write(e, null);
            }
            w.flush(true);
        }
        assertThat(client.violations).isEmpty();
        assertThat(client.largestBatch).isBetween(2, 40);
        assertThat(client.storedCopy().values().stream().mapToInt(List::size).sum())
                .isEqualTo(1000);
    }

    @Test
    void missingStreamFailsTheJobWithWhatToFix() throws Exception {
        KinesisAsyncClient missing = new KinesisAsyncClient() {
            @Override
            public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
                return CompletableFuture.failedFuture(ResourceNotFoundException.builder()
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ResourceNotFoundException")
                                .errorMessage("Stream changes under account 000000000000 not found.")
                                .build())
                        .statusCode(400)
                        .build());
            }

            @Override
            public String serviceName() {
                return "kinesis";
            }

            @Override
            public void close() {}
        };
        try (KinesisChangeSinkWriter w = writer(settings(10, 1), missing, DeadLetterHandler.failJob())) {
            w.write(TestTables.insert(TestTables.WIDGETS, 1, 1, 1, "a", "b"), null);
            assertThatThrownBy(() -> w.flush(false))
                    .isInstanceOf(KinesisSinkException.class)
                    .hasMessageContaining("Kinesis stream 'changes' was not found: create it");
        }
    }

    @Test
    void recordOverOneMebibyteGoesToTheDeadLetterHandler() throws Exception {
        FlakyKinesisClient client = new FlakyKinesisClient(0, 0);
        List<DeadLetter> letters = new ArrayList<>();
        DeadLetterHandler collect = letters::add;
        ChangeEvent huge = TestTables.insert(TestTables.WIDGETS, 5, 7, 1, "big", "x".repeat(1024 * 1024));
        ChangeEvent small = TestTables.insert(TestTables.WIDGETS, 6, 8, 1, "small", "doc");
        try (KinesisChangeSinkWriter w = writer(settings(10, 1), client, collect)) {
            w.write(huge, null);
            w.write(small, null);
            w.flush(false);
        }
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.cause()).contains("exceeds the Kinesis limit of 1048576 bytes");
        assertThat(letter.table().toString()).isEqualTo("public.widgets");
        assertThat(letter.key()).isEqualTo("public.widgets/7");
        assertThat(letter.eventId()).isEqualTo(huge.eventId());
        assertThat(letter.commitLsn()).isEqualTo(0x69);
        assertThat(letter.changeLsn()).isEqualTo(5);
        assertThat(client.storedCopy()).containsOnlyKeys("public.widgets/8");
    }

    @Test
    void aRecordThatFitsPlainButNotAggregatedGoesToTheDeadLettersWhenAggregating() throws Exception {
        // JSON plus partition key 10 bytes under 1 MiB: fits a plain record, not an aggregated one.
        ChangeEvent probe = TestTables.insert(TestTables.WIDGETS, 5, 7, 1, "big", "");
        long base = new ChangeEventJsonSerializer(KinesisRecordFormat.DEFAULT).serialize(probe).length
                + KinesisPartitionKeys.of(probe).length();
        ChangeEvent nearLimit = TestTables.insert(TestTables.WIDGETS, 5, 7, 1, "big", "x".repeat((int)
                        (KinesisSinkSettings.MAX_BYTES_PER_RECORD - base - 10)));
        ChangeEvent small = TestTables.insert(TestTables.WIDGETS, 6, 8, 1, "small", "doc");
        KinesisSinkSettings aggregating = KinesisSinkSettings.builder()
                .streamName("changes")
                .region("eu-west-1")
                .aggregation(4)
                .build();
        for (boolean aggregated : new boolean[] {false, true}) {
            FlakyKinesisClient client = new FlakyKinesisClient(0, 0);
            List<DeadLetter> letters = new ArrayList<>();
            DeadLetterHandler collect = letters::add;
            try (KinesisChangeSinkWriter w = writer(aggregated ? aggregating : settings(10, 1), client, collect)) {
                w.write(nearLimit, null);
                w.write(small, null);
                w.flush(false);
            }
            if (aggregated) {
                assertThat(letters).singleElement().satisfies(l -> {
                    assertThat(l.cause()).contains("as an aggregated record exceeds the Kinesis limit of 1048576");
                    assertThat(l.eventId()).isEqualTo(nearLimit.eventId());
                });
                assertThat(client.storedCopy().values().stream()
                                .mapToInt(List::size)
                                .sum())
                        .isEqualTo(1);
            } else {
                assertThat(letters).isEmpty();
                assertThat(client.storedCopy()).containsOnlyKeys("public.widgets/7", "public.widgets/8");
            }
        }
    }

    @Test
    void withoutAHandlerAnOversizedRecordStopsTheJobInsteadOfVanishing() throws Exception {
        ChangeEvent huge = TestTables.insert(TestTables.WIDGETS, 5, 7, 1, "big", "x".repeat(1024 * 1024));
        try (KinesisChangeSinkWriter w =
                writer(settings(10, 1), new FlakyKinesisClient(0, 0), DeadLetterHandler.failJob())) {
            assertThatThrownBy(() -> w.write(huge, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exceeds the Kinesis limit")
                    .hasMessageContaining("configure a dead-letter output");
        }
    }
}
