package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.KinesisFaultProxy;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.verify.KinesisTail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kinesis sink on a MiniCluster against kinesalite: every change arrives, and per row in
 * commit order, both through a proxy that fails 20% of PutRecords entries and throttles requests,
 * and without faults.
 */
class KinesisChangeSinkITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 150;
    private static final int VERSIONS = 8;
    private static final TableSchema ACCOUNTS = new TableSchema(
            new TableId("public", "accounts"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("version", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("balance", ColumnType.decimal(12, 2, "numeric"), true),
                    new Column("updated_at", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true)),
            List.of("id"));

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final StandInExtension<KinesisStandIn> KINESIS = StandInExtension.kinesis();

    @Test
    void everyChangeArrivesInOrderPerRowDespitePartialFailuresAndThrottling() throws Exception {
        KINESIS.get().createStream("faulty", 3);
        try (KinesisFaultProxy proxy = KinesisFaultProxy.start(KINESIS.get().endpoint(), 0.2, 0.1)) {
            List<ChangeEvent> events = changes();
            runJob(
                    events,
                    KinesisStandIn.settingsFor(proxy.endpoint(), "faulty")
                            .maxBatchRecords(50)
                            .backoff(Duration.ofMillis(5), Duration.ofMillis(200))
                            .build());

            assertThat(proxy.failedEntries()).as("entries failed by the proxy").isGreaterThan(100);
            assertThat(proxy.throttledRequests())
                    .as("requests throttled by the proxy")
                    .isGreaterThan(0);
            assertArrivedInOrder("faulty", events);
        }
    }

    @Test
    void everyChangeArrivesInOrderPerRowWithoutFaults() throws Exception {
        KINESIS.get().createStream("clean", 2);
        List<ChangeEvent> events = changes();
        runJob(
                events,
                KINESIS.get()
                        .settings("clean")
                        .format(KinesisRecordFormat.DEFAULT)
                        .build());
        assertArrivedInOrder("clean", events);
    }

    private static void runJob(List<ChangeEvent> events, KinesisSinkSettings settings) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        env.fromData(events, ChangeEventTypeInfo.INSTANCE)
                .setParallelism(1)
                .keyBy(ChangeEvent::routingKey)
                .sinkTo(KinesisChangeSink.builder().settings(settings).build())
                .uid("kinesis-sink");
        env.execute("kinesis-sink-itcase");
    }

    /** ROWS rows, each inserted then updated VERSIONS-1 times, interleaved as a WAL would carry them. */
    private static List<ChangeEvent> changes() {
        List<ChangeEvent> events = new ArrayList<>();
        long lsn = 0x1000000L;
        for (int version = 0; version < VERSIONS; version++) {
            for (int id = 0; id < ROWS; id++) {
                lsn += 64;
                Row after = row(id, version);
                events.add(ChangeEvent.builder()
                        .schema(ACCOUNTS)
                        .op(version == 0 ? Op.INSERT : Op.UPDATE)
                        .before(version == 0 ? null : row(id, version - 1))
                        .after(after)
                        .commitLsn(lsn + 32)
                        .changeLsn(lsn)
                        .txId(lsn / 64)
                        .commitTimeMicros(1_795_000_000_000_000L + lsn)
                        .build());
            }
        }
        return events;
    }

    private static Row row(int id, int version) {
        return Row.of(
                id,
                version,
                new BigDecimal(version + ".05"),
                Instant.parse("2026-11-23T10:00:00Z").plusSeconds(version));
    }

    private static void assertArrivedInOrder(String stream, List<ChangeEvent> events) throws Exception {
        Set<String> expectedIds = new LinkedHashSet<>();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (ChangeEvent e : events) {
            expectedIds.add(e.eventId());
            expected.computeIfAbsent(e.routingKey(), k -> new ArrayList<>()).add(e.eventId());
        }
        KinesisTail tail = new KinesisTail(KINESIS.get().client(), stream);
        List<KinesisTail.TailRecord> read =
                tail.readUntil(all -> distinctIds(all).size() >= expectedIds.size(), Duration.ofSeconds(60));

        // At-least-once: drop duplicates by eventId (keeping the first), as a consumer would.
        Map<String, List<String>> arrived = new LinkedHashMap<>();
        Map<String, String> shardOfKey = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (KinesisTail.TailRecord r : read) {
            JsonNode json = JSON.readTree(r.data);
            String id = json.get("eventId").asText();
            String key =
                    json.get("table").asText() + "/" + json.get("key").get("id").asText();
            assertThat(r.partitionKey).isEqualTo(key);
            assertThat(shardOfKey.computeIfAbsent(key, k -> r.shardId))
                    .as("one shard per row")
                    .isEqualTo(r.shardId);
            if (seen.add(id)) {
                arrived.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(arrived).isEqualTo(expected);
    }

    private static Set<String> distinctIds(List<KinesisTail.TailRecord> records) {
        Set<String> ids = new HashSet<>();
        for (KinesisTail.TailRecord r : records) {
            try {
                ids.add(JSON.readTree(r.data).get("eventId").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ids;
    }
}
