package io.tributary.job.lag;

import static io.tributary.event.TestTables.WIDGETS;
import static io.tributary.event.TestTables.event;
import static io.tributary.event.TestTables.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.postgres.PostgresSlotLag;
import io.tributary.postgres.PostgresSourceSettings;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The lag reporter on a fake clock: what counts as an arrival, which subtask polls, pass-through. */
class LagReporterTest {
    /** {@link io.tributary.event.TestTables#event}'s commit time of LSN 0, in ms. */
    private static final long COMMITTED = 1_795_000_000_000L;

    private final long[] now = {COMMITTED + 7_000};
    private final LagReporter.Clock clock = () -> now[0];

    @Test
    void passesEveryEventThroughUnchangedAndInOrder() throws Exception {
        ChangeEvent insert = insert(WIDGETS, 10, 1, 5, "bolt", "d1");
        ChangeEvent snapshot = insert(WIDGETS, 20, 2, 5, "nut", "d2").toBuilder()
                .snapshot(true)
                .build();
        ChangeEvent truncate = event(WIDGETS, Op.TRUNCATE, 30, null, null).toBuilder()
                .truncateCopy(1, 2, "k")
                .build();
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(LagReporter.arrivalsOnly()))) {
            harness.open();
            for (ChangeEvent e : List.of(insert, snapshot, truncate)) {
                harness.processElement(new StreamRecord<>(e));
            }
            List<ChangeEvent> out = harness.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(0)).isSameAs(insert);
            assertThat(out.get(1)).isSameAs(snapshot);
            assertThat(out.get(2)).isSameAs(truncate);
        }
    }

    @Test
    void aStreamedChangeReportsTheDelayFromItsCommit() {
        RecordingGroup metrics = new RecordingGroup();
        LagReporter reporter = LagReporter.arrivalsOnly(clock);
        reporter.register(metrics, 0);
        assertThat(metrics.value(LagReporter.METRIC_COMMIT_LAG))
                .as("nothing arrived yet")
                .isEqualTo(-1L);

        process(reporter, insert(WIDGETS, 2_000_000, 1, 5, "bolt", "d1")); // committed at COMMITTED + 2 s
        assertThat(metrics.value(LagReporter.METRIC_COMMIT_LAG)).isEqualTo(5_000L);
        now[0] += 1_000;
        assertThat(metrics.value(LagReporter.METRIC_COMMIT_LAG))
                .as("the delay at arrival, not its age")
                .isEqualTo(5_000L);
    }

    /** Snapshot rows have no commit of their own; TRUNCATE copies are counted once, as the sequencer counts them. */
    @Test
    void snapshotRowsAndFurtherTruncateCopiesAreNoArrivals() {
        RecordingGroup metrics = new RecordingGroup();
        LagReporter reporter = LagReporter.arrivalsOnly(clock);
        reporter.register(metrics, 1);
        ChangeEvent truncate = event(WIDGETS, Op.TRUNCATE, 1_000_000, null, null);

        process(
                reporter,
                insert(WIDGETS, 0, 1, 5, "bolt", "d1").toBuilder()
                        .snapshot(true)
                        .build());
        process(reporter, truncate.toBuilder().truncateCopy(1, 2, "k").build());
        assertThat(metrics.value(LagReporter.METRIC_COMMIT_LAG)).isEqualTo(-1L);

        process(reporter, truncate.toBuilder().truncateCopy(0, 2, "k").build());
        assertThat(metrics.value(LagReporter.METRIC_COMMIT_LAG)).isEqualTo(6_000L);
    }

    @Test
    void closedReporterReportsUnknown() throws Exception {
        RecordingGroup metrics = new RecordingGroup();
        LagReporter reporter = LagReporter.arrivalsOnly(clock);
        reporter.register(metrics, 0);
        process(reporter, insert(WIDGETS, 0, 1, 5, "bolt", "d1"));
        reporter.close();
        assertThat(metrics.value(LagReporter.METRIC_COMMIT_LAG)).isEqualTo(-1L);
    }

    /** Only the first subtask, and only with a slot, polls the database and reports the slot lag. */
    @Test
    void onlyTheFirstSubtaskWithASlotReportsTheSlotLag() throws Exception {
        PostgresSlotLag slot = new PostgresSlotLag(unreachableDatabase());

        RecordingGroup arrivalsOnly = new RecordingGroup();
        LagReporter.arrivalsOnly(clock).register(arrivalsOnly, 0);
        assertThat(arrivalsOnly.gauges).containsOnlyKeys(LagReporter.METRIC_COMMIT_LAG);

        RecordingGroup second = new RecordingGroup();
        LagReporter secondReporter = LagReporter.pollingSlot(slot);
        secondReporter.register(second, 1);
        assertThat(second.gauges).containsOnlyKeys(LagReporter.METRIC_COMMIT_LAG);
        secondReporter.close();

        RecordingGroup first = new RecordingGroup();
        LagReporter firstReporter = LagReporter.pollingSlot(slot);
        firstReporter.register(first, 0);
        try {
            assertThat(first.gauges).containsOnlyKeys(LagReporter.METRIC_COMMIT_LAG, LagReporter.METRIC_SLOT_LAG);
            assertThat(first.value(LagReporter.METRIC_SLOT_LAG))
                    .as("the database does not answer")
                    .isEqualTo(-1L);
        } finally {
            firstReporter.close();
        }
    }

    /** Settings of a database on a port nobody listens on: a poll fails at once (connection refused). */
    private static PostgresSourceSettings unreachableDatabase() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return PostgresSourceSettings.builder()
                .hostname("127.0.0.1")
                .port(port)
                .database("nowhere")
                .username("nobody")
                .password("none")
                .slotName("lag_reporter_test")
                .publicationName("lag_reporter_test")
                .tableInclude(List.of("public\\.t"))
                .build();
    }

    private static void process(LagReporter reporter, ChangeEvent event) {
        List<ChangeEvent> out = new ArrayList<>();
        reporter.processElement(event, null, new Collector<ChangeEvent>() {
            @Override
            public void collect(ChangeEvent record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        assertThat(out).containsExactly(event);
    }

    /** Keeps the gauges registered in it or any group below it. */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        final Map<String, Gauge<?>> gauges = new HashMap<>();

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(name, gauge);
            return gauge;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return this;
        }

        Object value(String name) {
            return gauges.get(name).getValue();
        }
    }
}
