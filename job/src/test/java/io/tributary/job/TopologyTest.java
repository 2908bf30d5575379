package io.tributary.job;

import static io.tributary.event.TestTables.WIDGETS;
import static io.tributary.event.TestTables.delete;
import static io.tributary.event.TestTables.insert;
import static io.tributary.event.TestTables.keyOnly;
import static io.tributary.event.TestTables.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Row;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The production wiring on a MiniCluster, with an in-memory source and the sequenced stream collected. */
class TopologyTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final List<ChangeEvent> INPUT = new ArrayList<>();

    static {
        // Each key's events are contiguous, so whichever generator split reads them keeps their WAL order.
        for (int id = 0; id < 50; id++) {
            INPUT.add(insert(WIDGETS, 1000 + id, id, 1, "w" + id, "doc-" + id));
            INPUT.add(update(WIDGETS, 2000 + id, null, id, 2, "w" + id, Row.UNCHANGED_TOAST));
            INPUT.add(insert(WIDGETS, 1000 + id, id, 1, "w" + id, "doc-" + id)); // a replay: must be dropped
            if (id % 2 == 0) {
                INPUT.add(delete(WIDGETS, 3000 + id, keyOnly(WIDGETS, id)));
            }
        }
    }

    @Test
    void sequencedStreamIsOrderedPerRowWithFullImagesAndNoReplays() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataGeneratorSource<ChangeEvent> source = new DataGeneratorSource<>(
                i -> INPUT.get(i.intValue()), INPUT.size(), RateLimiterStrategy.noOp(), ChangeEventTypeInfo.INSTANCE);
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                        Map.of("hostname", "unused", "database", "d", "username", "u", "tables.include", ".*"),
                "sink.eventlog", Map.of("enabled", "false"))));

        DataStream<ChangeEvent> out = Topology.build(env, config, Endpoints.sourceOnly(source));

        Map<String, List<ChangeEvent>> perRow = new LinkedHashMap<>();
        try (CloseableIterator<ChangeEvent> it = out.executeAndCollect("topology-test")) {
            it.forEachRemaining(e -> perRow.computeIfAbsent(e.routingKey(), k -> new ArrayList<>())
                    .add(e));
        }

        assertThat(perRow).hasSize(50);
        for (int id = 0; id < 50; id++) {
            List<ChangeEvent> events = perRow.get("public.widgets/" + id);
            assertThat(events)
                    .extracting(e -> e.op().code())
                    .containsExactlyElementsOf(id % 2 == 0 ? List.of("I", "U", "D") : List.of("I", "U"));
            ChangeEvent updated = events.get(1);
            assertThat(updated.before()).isEqualTo(Row.of(id, 1, "w" + id, "doc-" + id));
            assertThat(updated.after()).isEqualTo(Row.of(id, 2, "w" + id, "doc-" + id));
            if (id % 2 == 0) {
                assertThat(events.get(2).before()).isEqualTo(Row.of(id, 2, "w" + id, "doc-" + id));
            }
        }
    }
}
