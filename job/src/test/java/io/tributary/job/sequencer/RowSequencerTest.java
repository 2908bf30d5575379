package io.tributary.job.sequencer;

import static io.tributary.event.TestTables.WIDGETS;
import static io.tributary.event.TestTables.WIDGETS_V2;
import static io.tributary.event.TestTables.delete;
import static io.tributary.event.TestTables.event;
import static io.tributary.event.TestTables.insert;
import static io.tributary.event.TestTables.keyOnly;
import static io.tributary.event.TestTables.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

class RowSequencerTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RowSequencer(Duration.ZERO)), ChangeEvent::routingKey, Types.STRING);
    }

    private void feed(ChangeEvent... events) throws Exception {
        for (ChangeEvent e : events) {
            harness.processElement(new StreamRecord<>(e));
        }
    }

    private List<ChangeEvent> output() {
        return harness.extractOutputValues();
    }

    @Test
    void truncatePassesThroughUnstoredAndTheNextInsertOfAKeyNeedsNothingFromTheOldState() throws Exception {
        ChangeEvent truncate = event(WIDGETS, Op.TRUNCATE, 25, null, null);
        feed(
                insert(WIDGETS, 10, 1, 5, "bolt", "d1"),
                update(WIDGETS, 20, null, 1, 6, "bolt", "d1"),
                truncate,
                insert(WIDGETS, 30, 1, 7, "new bolt", "d2"),
                update(WIDGETS, 40, null, 1, 8, "new bolt", Row.UNCHANGED_TOAST));

        List<ChangeEvent> out = output();
        assertThat(out).extracting(e -> e.op().code()).containsExactly("I", "U", "T", "I", "U");
        assertThat(out.get(2)).isSameAs(truncate);
        assertThat(out.get(3).before()).as("an INSERT after the truncate takes no old image").isNull();
        assertThat(out.get(4).before()).isEqualTo(Row.of(1, 7, "new bolt", "d2"));
        assertThat(out.get(4).after().get(3)).isEqualTo("d2");
    }

    @Test
    void aTruncateCopyForAnotherSubtaskFailsLoudly() {
        ChangeEvent copy = event(WIDGETS, Op.TRUNCATE, 25, null, null)
                .toBuilder().truncateCopy(1, 2, "public.widgets\u0000x").build();
        assertThatThrownBy(() -> feed(copy))
                .hasMessageContaining("copy 1 of 2 at sequencer subtask 0 of 1");
    }

    @Test
    void fillsOldImageOfUpdateAndDeleteFromLastKnownRow() throws Exception {
        feed(
                insert(WIDGETS, 10, 1, 5, "bolt", "d1"),
                update(WIDGETS, 20, null, 1, 6, "bolt", "d1"),
                delete(WIDGETS, 30, keyOnly(WIDGETS, 1)));

        List<ChangeEvent> out = output();
        assertThat(out).hasSize(3);
        assertThat(out.get(1).before()).isEqualTo(Row.of(1, 5, "bolt", "d1"));
        assertThat(out.get(2).before()).isEqualTo(Row.of(1, 6, "bolt", "d1"));
    }

    @Test
    void replacesUnchangedToastWithLastKnownValue() throws Exception {
        String big = "x".repeat(10_000);
        feed(
                insert(WIDGETS, 10, 1, 5, "bolt", big),
                update(WIDGETS, 20, null, 1, 6, "bolt", Row.UNCHANGED_TOAST));

        ChangeEvent updated = output().get(1);
        assertThat(updated.after().get(3)).isEqualTo(big);
        assertThat(updated.before().get(3)).isEqualTo(big);
    }

    @Test
    void unknownToastBecomesNullNeverThePlaceholder() throws Exception {
        feed(update(WIDGETS, 20, null, 1, 6, "bolt", Row.UNCHANGED_TOAST));

        ChangeEvent updated = output().get(0);
        assertThat(updated.after().get(3)).isNull();
        assertThat(updated.before()).isNull();
    }

    @Test
    void dropsEventsAtOrBelowTheLastPositionOfTheirRow() throws Exception {
        ChangeEvent first = insert(WIDGETS, 10, 1, 5, "bolt", "d");
        ChangeEvent second = update(WIDGETS, 20, null, 1, 6, "bolt", "d");
        feed(first, second, first, second, insert(WIDGETS, 15, 2, 1, "nut", "d"));

        assertThat(output().stream().map(ChangeEvent::routingKey).collect(Collectors.toList()))
                .containsExactly("public.widgets/1", "public.widgets/1", "public.widgets/2");
    }

    @Test
    void replayAfterRestoreFromSnapshotIsDropped() throws Exception {
        feed(insert(WIDGETS, 10, 1, 5, "bolt", "d"), update(WIDGETS, 20, null, 1, 6, "bolt", "d"));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        feed(update(WIDGETS, 20, null, 1, 6, "bolt", "d"), update(WIDGETS, 30, null, 1, 7, "bolt", "d"));

        List<ChangeEvent> out = output();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).before()).isEqualTo(Row.of(1, 6, "bolt", "d"));
        assertThat(out.get(0).after()).isEqualTo(Row.of(1, 7, "bolt", "d"));
    }

    @Test
    void oldImageFollowsASchemaChangeByColumnName() throws Exception {
        feed(
                insert(WIDGETS, 10, 1, 5, "bolt", "d"),
                update(WIDGETS_V2, 20, null, 1, 6, "bolt", "d", new BigDecimal("1.50")),
                update(WIDGETS_V2, 30, null, 1, 7, "bolt", "d", new BigDecimal("1.75")));

        List<ChangeEvent> out = output();
        assertThat(out.get(1).before()).isEqualTo(Row.of(1, 5, "bolt", "d", null));
        assertThat(out.get(2).before()).isEqualTo(Row.of(1, 6, "bolt", "d", new BigDecimal("1.50")));
    }

    @Test
    void reInsertAfterDeleteHasNoOldImage() throws Exception {
        feed(
                insert(WIDGETS, 10, 1, 5, "bolt", "d"),
                delete(WIDGETS, 20, keyOnly(WIDGETS, 1)),
                insert(WIDGETS, 30, 1, 9, "bolt", "d"),
                update(WIDGETS, 40, null, 1, 10, "bolt", "d"));

        List<ChangeEvent> out = output();
        assertThat(out.get(2).before()).isNull();
        assertThat(out.get(3).before()).isEqualTo(Row.of(1, 9, "bolt", "d"));
    }

    @Test
    void keysAreIndependent() throws Exception {
        feed(insert(WIDGETS, 10, 1, 5, "bolt", "d"), update(WIDGETS, 20, keyOnly(WIDGETS, 2), 2, 1, "nut", "d"));

        ChangeEvent other = output().get(1);
        assertThat(other.before()).isEqualTo(keyOnly(WIDGETS, 2));
    }
}
