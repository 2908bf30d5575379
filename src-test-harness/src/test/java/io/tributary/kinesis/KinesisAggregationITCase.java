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
import io.tributary.harness.verify.KinesisDeaggregator;
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
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kinesis sink in the KPL aggregation format on a MiniCluster against kinesalite: the stream is
 * read back with GetRecords and de-aggregated by {@link KinesisDeaggregator} (independent of the
 * encoder, KCL's rules), and every change is there once after de-duplication, in commit order per row,
 * with every sub-record inside the hash range of the shard it was read from (else KCL would drop the
 * record) — through a proxy that fails 20% of PutRecords entries and throttles requests, and without
 * faults, where each row also lands on the shard its own partition key maps to.
 */
class KinesisAggregationITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 400;
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
    void everyChangeOnceInOrderPerRowDespitePartialFailuresAndThrottling() throws Exception {
        KINESIS.get().createStream("agg-faulty", 3);
        try (KinesisFaultProxy proxy = KinesisFaultProxy.start(KINESIS.get().endpoint(), 0.2, 0.1)) {
            List<ChangeEvent> events = changes();
            runJob(
                    events,
                    KinesisStandIn.settingsFor(proxy.endpoint(), "agg-faulty")
                            .aggregation(12)
                            .maxInFlightRequests(2)
                            .backoff(Duration.ofMillis(5), Duration.ofMillis(200))
                            .build());

            assertThat(proxy.failedEntries()).as("entries failed by the proxy").isGreaterThan(0);
            assertThat(proxy.throttledRequests())
                    .as("requests throttled by the proxy")
                    .isGreaterThan(0);
            Read read = readBack("agg-faulty", events);
            assertThat(read.kinesisRecords).as("Kinesis records (aggregated)").isLessThan(events.size() / 2);
        }
    }

    @Test
    void everyChangeOnceInOrderPerRowOnTheShardOfItsOwnKey() throws Exception {
        KINESIS.get().createStream("agg-clean", 4);
        List<ChangeEvent> events = changes();
        runJob(events, KINESIS.get().settings("agg-clean").aggregation(256).build());
        Read read = readBack("agg-clean", events);
        // 256 buckets on 4 evenly split shards: a bucket's hash key lies on the shard of each of its rows' keys.
        Map<String, Shard> shards = shards("agg-clean");
        read.shardOfKey.forEach((key, shardId) -> assertThat(inRange(ownHash(key), shards.get(shardId)))
                .as("row %s on the shard its own key maps to", key)
                .isTrue());
        assertThat(read.kinesisRecords).as("Kinesis records").isLessThanOrEqualTo(events.size());
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
        env.execute("kinesis-aggregation-itcase");
    }

    /** ROWS rows, each inserted then updated VERSIONS-1 times, interleaved as a WAL would carry them. */
    private static List<ChangeEvent> changes() {
        List<ChangeEvent> events = new ArrayList<>();
        long lsn = 0x1000000L;
        for (int version = 0; version < VERSIONS; version++) {
            for (int id = 0; id < ROWS; id++) {
                lsn += 64;
                events.add(ChangeEvent.builder()
                        .schema(ACCOUNTS)
                        .op(version == 0 ? Op.INSERT : Op.UPDATE)
                        .before(version == 0 ? null : row(id, version - 1))
                        .after(row(id, version))
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

    /** What was read: Kinesis records, and the shard each row's changes were read from. */
    private static final class Read {
        int kinesisRecords;
        final Map<String, String> shardOfKey = new LinkedHashMap<>();
    }

    /**
     * Reads the stream until every change is there, de-aggregates it, and checks: each change once after
     * de-duplication by eventId, per-row commit order, one shard per row, sub-records inside their shard.
     */
    private static Read readBack(String stream, List<ChangeEvent> events) throws Exception {
        Set<String> expectedIds = new HashSet<>();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (ChangeEvent e : events) {
            expectedIds.add(e.eventId());
            expected.computeIfAbsent(e.routingKey(), k -> new ArrayList<>()).add(e.eventId());
        }
        Map<String, Shard> shards = shards(stream);
        KinesisTail tail = new KinesisTail(KINESIS.get().client(), stream);
        List<KinesisTail.TailRecord> records = tail.readUntil(
                all -> ids(deaggregate(all, shards)).size() >= expectedIds.size(), Duration.ofSeconds(90));

        Read read = new Read();
        read.kinesisRecords = records.size();
        Map<String, List<String>> arrived = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, KinesisDeaggregator.UserRecord> r : deaggregate(records, shards)) {
            KinesisDeaggregator.UserRecord user = r.getValue();
            assertThat(user.aggregated).as("every record is aggregated").isTrue();
            JsonNode json = json(user.data);
            String key =
                    json.get("table").asText() + "/" + json.get("key").get("id").asText();
            assertThat(user.partitionKey).isEqualTo(key);
            assertThat(read.shardOfKey.computeIfAbsent(key, k -> r.getKey()))
                    .as("one shard per row")
                    .isEqualTo(r.getKey());
            String id = json.get("eventId").asText();
            if (seen.add(id)) {
                arrived.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(arrived).isEqualTo(expected);
        return read;
    }

    /** (shard id, user record) in read order; KinesisDeaggregator throws where KCL would drop a record. */
    private static List<Map.Entry<String, KinesisDeaggregator.UserRecord>> deaggregate(
            List<KinesisTail.TailRecord> records, Map<String, Shard> shards) {
        List<Map.Entry<String, KinesisDeaggregator.UserRecord>> out = new ArrayList<>();
        for (KinesisTail.TailRecord r : records) {
            Shard shard = shards.get(r.shardId);
            for (KinesisDeaggregator.UserRecord user : KinesisDeaggregator.deaggregate(
                    r.partitionKey,
                    r.data,
                    new BigInteger(shard.hashKeyRange().startingHashKey()),
                    new BigInteger(shard.hashKeyRange().endingHashKey()))) {
                out.add(Map.entry(r.shardId, user));
            }
        }
        return out;
    }

    private static Set<String> ids(List<Map.Entry<String, KinesisDeaggregator.UserRecord>> records) {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, KinesisDeaggregator.UserRecord> r : records) {
            ids.add(json(r.getValue().data).get("eventId").asText());
        }
        return ids;
    }

    private static Map<String, Shard> shards(String stream) {
        Map<String, Shard> shards = new HashMap<>();
        for (Shard s : KINESIS.get()
                .client()
                .describeStream(r -> r.streamName(stream))
                .join()
                .streamDescription()
                .shards()) {
            shards.put(s.shardId(), s);
        }
        return shards;
    }

    private static BigInteger ownHash(String partitionKey) {
        return KinesisDeaggregator.hashKeyOf(partitionKey);
    }

    private static boolean inRange(BigInteger hash, Shard shard) {
        return hash.compareTo(new BigInteger(shard.hashKeyRange().startingHashKey())) >= 0
                && hash.compareTo(new BigInteger(shard.hashKeyRange().endingHashKey())) <= 0;
    }

    private static JsonNode json(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
