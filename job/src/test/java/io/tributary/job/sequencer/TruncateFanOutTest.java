package io.tributary.job.sequencer;

import static io.tributary.event.TestTables.WIDGETS;
import static io.tributary.event.TestTables.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.TestTables;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

class TruncateFanOutTest {
    @Test
    void copyKeyIReachesSequencerSubtaskI() {
        int[][] shapes = {{1, 128}, {2, 128}, {3, 128}, {7, 128}, {64, 128}, {128, 128}, {5, 4096}, {200, 32768}};
        for (int[] shape : shapes) {
            String[] keys = TruncateFanOut.copyKeys("public.widgets", shape[0], shape[1]);
            assertThat(keys).hasSize(shape[0]).doesNotHaveDuplicates();
            for (int i = 0; i < keys.length; i++) {
                assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(keys[i], shape[1], shape[0]))
                        .as("copy %s of parallelism %s, max %s", i, shape[0], shape[1])
                        .isEqualTo(i);
            }
        }
    }

    @Test
    void aTruncateBecomesOneCopyPerSubtaskWithOneEventIdAndRowsPassUnchanged() throws Exception {
        ChangeEvent row = insert(WIDGETS, 10, 1, 5, "bolt", "d1");
        ChangeEvent truncate = TestTables.event(WIDGETS, Op.TRUNCATE, 20, null, null);
        int parallelism = 3;
        int maxParallelism = 128;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new StreamFlatMap<>(new TruncateFanOut()), maxParallelism, parallelism, 1)) {
            harness.open();
            harness.processElement(row, 0);
            harness.processElement(truncate, 0);
            List<ChangeEvent> out = harness.extractOutputValues();

            assertThat(out).hasSize(1 + parallelism);
            assertThat(out.get(0)).isSameAs(row);
            List<ChangeEvent> copies = out.subList(1, out.size());
            String[] keys = TruncateFanOut.copyKeys("public.widgets", parallelism, maxParallelism);
            for (int i = 0; i < parallelism; i++) {
                ChangeEvent copy = copies.get(i);
                assertThat(copy.isTruncate()).isTrue();
                assertThat(copy.truncateCopy()).isEqualTo(i);
                assertThat(copy.truncateCopies()).isEqualTo(parallelism);
                assertThat(copy.isPrimaryCopy()).isEqualTo(i == 0);
                assertThat(copy.sequencerKey()).isEqualTo(keys[i]);
                assertThat(copy.eventId()).isEqualTo(truncate.eventId());
                assertThat(copy.routingKey()).isEqualTo("public.widgets");
                assertThat(copy.commitLsn()).isEqualTo(truncate.commitLsn());
            }
        }
    }
}
