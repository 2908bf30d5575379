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
import io.tributary.event.TestTables;

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
        assertThat(out.get(3).before())
                .as("an INSERT after the truncate takes no old image")
                .isNull();
        assertThat(out.get(4).before()).isEqualTo(Row.of(1, 7, "new bolt", "d2"));
        assertThat(out.get(4).after().get(3)).isEqualTo("d2");
    }

    @Test
    void aTruncateCopyForAnotherSubtaskFailsLoudly() {
        ChangeEvent copy = event(WIDGETS, Op.TRUNCATE, 25, null, null).toBuilder()
                .truncateCopy(1, 2, "public.widgets\u0000x")
                .build();
        assertThatThrownBy(() -> feed(copy)).hasMessageContaining("copy 1 of 2 at sequencer subtask 0 of 1");
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
        feed(insert(WIDGETS, 10, 1, 5, "bolt", big), update(WIDGETS, 20, null, 1, 6, "bolt", Row.UNCHANGED_TOAST));

        ChangeEvent updated = output().get(1);
        assertThat(updated.after().get(3)).isEqualTo(big);
        assertThat(updated.before().get(3)).isEqualTo(big);
    }

    @Test
    void unknownToastIsListedAsUnknownNeverThePlaceholder() throws Exception {
        feed(update(WIDGETS, 20, null, 1, 6, "bolt", Row.UNCHANGED_TOAST));

        ChangeEvent updated = output().get(0);
        assertThat(updated.after().get(3)).isNull();
        assertThat(updated.unknownColumns()).containsExactly("doc");
        assertThat(updated.isUnknown(3)).isTrue();
        assertThat(updated.before()).isNull();
    }

    @Test
    void unknownToastStaysUnknownUntilAChangeSendsIt() throws Exception {
        feed(
                update(WIDGETS, 20, keyOnly(WIDGETS, 1), 1, 6, "bolt", Row.UNCHANGED_TOAST),
                update(WIDGETS, 30, keyOnly(WIDGETS, 1), 1, 7, "bolt", Row.UNCHANGED_TOAST));
        List<ChangeEvent> first = output();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        feed(
                update(WIDGETS, 40, keyOnly(WIDGETS, 1), 1, 8, "bolt", Row.UNCHANGED_TOAST),
                update(WIDGETS, 50, keyOnly(WIDGETS, 1), 1, 9, "bolt", "sent"),
                update(WIDGETS, 60, keyOnly(WIDGETS, 1), 1, 10, "bolt", Row.UNCHANGED_TOAST),
                delete(WIDGETS, 70, keyOnly(WIDGETS, 1)));
        List<ChangeEvent> then = output();

        assertThat(first.get(0).unknownColumns()).containsExactly("doc");
        assertThat(first.get(1).unknownColumns()).containsExactly("doc");
        assertThat(first.get(1).before())
                .as("the old image holds no placeholder")
                .isEqualTo(Row.of(1, 6, "bolt", null));
        assertThat(first.get(1).after()).isEqualTo(Row.of(1, 7, "bolt", null));
        assertThat(then.get(0).unknownColumns())
                .as("still unknown after a restore")
                .containsExactly("doc");
        assertThat(then.get(1).unknownColumns()).isEmpty();
        assertThat(then.get(1).after().get(3)).isEqualTo("sent");
        assertThat(then.get(2).after().get(3)).as("known once a change sent it").isEqualTo("sent");
        assertThat(then.get(2).unknownColumns()).isEmpty();
        assertThat(then.get(3).before().get(3)).isEqualTo("sent");
    }

    @Test
    void dropsEventsAtOrBelowTheLastPositionOfTheirRow() throws Exception {
        ChangeEvent first = insert(WIDGETS, 10, 1, 5, "bolt", "d");
        ChangeEvent second = update(WIDGETS, 20, null, 1, 6, "bolt", "d");
        feed(first, second, first, second, insert(WIDGETS, 15, 2, 1, "nut", "d"));

        assertThat(output().stream().map(ChangeEvent::routingKey).collect(Collectors.toList()))
                .containsExactly("public.widgets/1", "public.widgets/1", "public.widgets/2");
    }

    /** An event at position (transaction position, change LSN) as PostgresChangeDeserializer assigns it. */
    private static ChangeEvent at(long commitLsn, long changeLsn, Op op, Row before, Row after) {
        return TestTables.event(WIDGETS, op, changeLsn, before, after).toBuilder()
                .commitLsn(commitLsn)
                .build();
    }

    @Test
    void laterCommittedTransactionThatWroteEarlierIsNotAReplay() throws Exception {
        // A inserts K @100 and deletes it @300 (A's lsn_commit 50); B wrote K @200 while waiting on the unique
        // index and commits after A, whose commit ends @320: B's position is (max(320, 200), 200).
        ChangeEvent bInsert = at(320, 200, Op.INSERT, null, Row.of(1, 2, "b", "d"));
        feed(
                at(100, 100, Op.INSERT, null, Row.of(1, 1, "a", "d")),
                at(300, 300, Op.DELETE, keyOnly(WIDGETS, 1), null),
                bInsert,
                bInsert);

        List<ChangeEvent> out = output();
        assertThat(out).extracting(ChangeEvent::op).containsExactly(Op.INSERT, Op.DELETE, Op.INSERT);
        assertThat(out.get(2).after()).isEqualTo(Row.of(1, 2, "b", "d"));
        assertThat(out.get(2).before()).isNull();
    }

    @Test
    void positionFromBeforeTheUpgradeIsBelowEveryLaterChangeOfItsRow() throws Exception {
        // Written by the previous rule, (L, L); then the rest of the same transaction (whatever its lsn_commit, its
        // change LSN is above L) and
        // a later transaction, whose lsn_commit is at least the first transaction's commit.
        feed(at(150, 150, Op.INSERT, null, Row.of(1, 1, "a", "d")));
        OperatorSubtaskState savepoint = harness.snapshot(1, 1);
        harness.close();
        harness = newHarness();
        harness.initializeState(savepoint);
        harness.open();
        feed(
                at(200, 170, Op.UPDATE, null, Row.of(1, 2, "a", "d")),
                at(400, 210, Op.UPDATE, null, Row.of(1, 3, "a", "d")));

        assertThat(output()).extracting(e -> e.after().get(1)).containsExactly(2, 3);
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
