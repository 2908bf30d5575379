package io.tributary.dynamodb;

import static io.tributary.dynamodb.ReadModelWorkload.ITEMS;
import static io.tributary.dynamodb.ReadModelWorkload.LINES;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.deadletter.DeadLetter;
import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.DynamoDbFaultProxy;
import io.tributary.harness.standin.DynamoDbStandIn;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/** The DynamoDB sink in a Flink job against DynamoDB Local: convergence, replays, faults, coalescing. */
class DynamoDbReadModelITCase {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbReadModelITCase.class);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final StandInExtension<DynamoDbStandIn> DYNAMODB = StandInExtension.dynamoDb();

    /** items: hard deletes, N partition key; order_lines: composite N partition + N sort key, tombstones. */
    private static List<DynamoDbTableMapping> freshTables() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<DynamoDbTableMapping> mappings = List.of(
                DynamoDbTableMapping.builder(ITEMS.table())
                        .targetTable("items-" + suffix)
                        .partitionKey("id", ScalarAttributeType.N, "id")
                        .rename("qty", "quantity")
                        .build(),
                DynamoDbTableMapping.builder(LINES.table())
                        .targetTable("lines-" + suffix)
                        .partitionKey("order_id", ScalarAttributeType.N, "order_id")
                        .sortKey("line_no", ScalarAttributeType.N, "line_no")
                        .tombstone("_deleted", "_expires_at", Duration.ofDays(2))
                        .build());
        DYNAMODB.get().createTables(mappings);
        return mappings;
    }

    private static void run(
            List<ChangeEvent> events, List<DynamoDbTableMapping> mappings, String endpoint, boolean checkpoints)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        build(env, events, mappings, endpoint, checkpoints, null);
        env.execute("dynamodb read model");
    }

    private static void build(
            StreamExecutionEnvironment env,
            List<ChangeEvent> events,
            List<DynamoDbTableMapping> mappings,
            String endpoint,
            boolean checkpoints,
            FailOnceAfterCheckpoint failure) {
        env.setParallelism(2);
        if (checkpoints) {
            env.enableCheckpointing(100);
        }
        DynamoDbChangeSink sink = DynamoDbChangeSink.builder()
                .settings(DynamoDbSinkSettings.builder()
                        .mappings(mappings)
                        .maxInFlightRequests(16)
                        .maxBufferedItems(500)
                        .maxRetries(40)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(200))
                        .build())
                .clientProvider(DynamoDbClientProvider.of(DynamoDbStandIn.clientSettings(endpoint)))
                .deadLetterHandler(new FailingDeadLetters())
                .build();
        // one source subtask keeps each key's changes in order, as the sequencer delivers them
        DataStream<ChangeEvent> changes = env.fromSource(
                        failure == null
                                ? new DataGeneratorSource<>(
                                        new ReadModelWorkload.EventList(events),
                                        events.size(),
                                        ChangeEventTypeInfo.INSTANCE)
                                : new DataGeneratorSource<>(
                                        new ReadModelWorkload.EventList(events),
                                        events.size(),
                                        RateLimiterStrategy.perSecond(3000),
                                        ChangeEventTypeInfo.INSTANCE),
                        WatermarkStrategy.noWatermarks(),
                        "changes")
                .setParallelism(1);
        if (failure != null) {
            changes = changes.map(failure).returns(ChangeEventTypeInfo.INSTANCE).setParallelism(1);
        }
        changes.keyBy(ChangeEvent::routingKey).sinkTo(sink);
    }

    @Test
    void aFailureMidStreamRestoresFromTheCheckpointAndStillConverges() throws Exception {
        List<DynamoDbTableMapping> mappings = freshTables();
        ReadModelWorkload w = ReadModelWorkload.mixed(200, 6000, 9);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        FAILED.set(false);
        build(
                env,
                w.events,
                mappings,
                DYNAMODB.get().endpoint(),
                true,
                new FailOnceAfterCheckpoint(w.events.size() / 2));
        env.execute("dynamodb read model with a failure");
        assertThat(FAILED.get()).as("the job failed once and restarted").isTrue();
        assertConverged(w, mappings);
    }

    private static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Passes changes through and throws once, mid-stream, after at least one checkpoint completed. */
    static final class FailOnceAfterCheckpoint implements MapFunction<ChangeEvent, ChangeEvent>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final int after;
        private int seen;
        private boolean checkpointed;

        FailOnceAfterCheckpoint(int after) {
            this.after = after;
        }

        @Override
        public ChangeEvent map(ChangeEvent e) {
            if (++seen >= after && checkpointed && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " changes");
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }

    private static Map<String, Map<String, Object>> scan(DynamoDbTableMapping m) {
        return ReadModelWorkload.canonical(m, DYNAMODB.get().scan(m.targetTable()));
    }

    private static void assertConverged(ReadModelWorkload w, List<DynamoDbTableMapping> mappings) throws Exception {
        for (DynamoDbTableMapping m : mappings) {
            assertThat(ReadModelWorkload.differences(w.expected(m), scan(m)))
                    .as(m.targetTable())
                    .isEmpty();
        }
    }

    @Test
    void readModelConvergesAndReplayedOrOlderEventsChangeNoItem() throws Exception {
        List<DynamoDbTableMapping> mappings = freshTables();
        ReadModelWorkload w = ReadModelWorkload.mixed(300, 4000, 1);
        run(w.events, mappings, DYNAMODB.get().endpoint(), true);
        assertConverged(w, mappings);
        assertThat(w.last.values().stream().filter(e -> e.op() == Op.DELETE).count())
                .as("workload has deletes")
                .isPositive();
        Map<String, Map<String, Object>> itemsBefore = scan(mappings.get(0));
        Map<String, Map<String, Object>> linesBefore = scan(mappings.get(1));

        // re-deliver: the whole history again in order, then older changes of every row in any order
        // (for the hard-delete table only rows that still exist: a deleted row has no version to fence with)
        List<ChangeEvent> older = w.events.stream()
                .filter(e -> !e.equals(w.last.get(e.routingKey())))
                .filter(e -> e.table().equals(LINES.table())
                        || w.last.get(e.routingKey()).op() != Op.DELETE)
                .collect(Collectors.toList());
        Collections.shuffle(older, new Random(7));
        List<ChangeEvent> replay = new ArrayList<>(w.events);
        replay.addAll(older);
        run(replay, mappings, DYNAMODB.get().endpoint(), true);
        // after the in-order history, each row's last write is one of its older changes: only the fence stops it

        assertThat(ReadModelWorkload.differences(itemsBefore, scan(mappings.get(0))))
                .isEmpty();
        assertThat(ReadModelWorkload.differences(linesBefore, scan(mappings.get(1))))
                .isEmpty();
    }

    @Test
    void throttlingAndServerErrorsLeaveTheSameFinalState() throws Exception {
        List<DynamoDbTableMapping> mappings = freshTables();
        ReadModelWorkload w = ReadModelWorkload.mixed(200, 2000, 2);
        try (DynamoDbFaultProxy proxy =
                DynamoDbFaultProxy.start(DYNAMODB.get().endpoint(), 3).faults(0.1, 0.1)) {
            run(w.events, mappings, proxy.endpoint(), true);
            assertThat(proxy.throttled()).isPositive();
            assertThat(proxy.failed()).isPositive();
        }
        assertConverged(w, mappings);
    }

    @Test
    void hotKeysAreCoalescedIntoFewerWrites() throws Exception {
        List<DynamoDbTableMapping> mappings = freshTables();
        ReadModelWorkload w = ReadModelWorkload.hotKeys(50, 200, 4);
        long puts;
        try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(DYNAMODB.get().endpoint(), 5)) {
            run(w.events, mappings, proxy.endpoint(), false);
            puts = proxy.requests("PutItem");
        }
        assertConverged(w, mappings);
        LOG.info(String.format(
                "hot keys: %d changes, %d PutItem requests, %.1f%% saved by coalescing",
                w.events.size(), puts, 100.0 * (w.events.size() - puts) / w.events.size()));
        assertThat(puts).isLessThan(w.events.size() / 2);
    }

    /** No test event is unmappable: a dead letter here is a bug, so fail the job. */
    static final class FailingDeadLetters implements DeadLetterHandler {
        private static final long serialVersionUID = 1L;

        @Override
        public void handle(DeadLetter deadLetter) {
            throw new IllegalStateException("unexpected dead letter " + deadLetter);
        }
    }
}
