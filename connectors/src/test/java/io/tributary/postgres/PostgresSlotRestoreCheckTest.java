package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The position a restored stream split is compared with, against the slot's {@code confirmed_flush_lsn}
 * (the restores themselves: {@code SlotGapITCase}).
 */
class PostgresSlotRestoreCheckTest {
    @Test
    void aSlotConfirmedBeyondTheLastCommitAndChangeSkipsChanges() {
        Map<String, String> change = offset("lsn", 500, "lsn_proc", 500, "lsn_commit", 400);
        assertThat(PostgresSlotRestoreCheck.restoredPosition(change)).isEqualTo(OptionalLong.of(500));
        assertThat(PostgresSlotRestoreCheck.skipsChanges(500, change))
                .as("confirmed at the restored change")
                .isFalse();
        assertThat(PostgresSlotRestoreCheck.skipsChanges(450, change)).isFalse();
        assertThat(PostgresSlotRestoreCheck.skipsChanges(501, change)).isTrue();
    }

    @Test
    void aChangeBelowTheLastConfirmedCommitIsNoGap() {
        // A transaction that wrote at 300 and committed after another one whose COMMIT ended at 400, which a
        // checkpoint confirmed: PostgreSQL still sends the whole later transaction (its COMMIT is after 400).
        Map<String, String> interleaved = offset("lsn", 300, "lsn_proc", 300, "lsn_commit", 400);
        assertThat(PostgresSlotRestoreCheck.restoredPosition(interleaved)).isEqualTo(OptionalLong.of(400));
        assertThat(PostgresSlotRestoreCheck.skipsChanges(400, interleaved)).isFalse();
        assertThat(PostgresSlotRestoreCheck.skipsChanges(401, interleaved)).isTrue();
    }

    @Test
    void aSplitThatHasEmittedNothingIsComparedAtItsStart() {
        Map<String, String> created = offset("lsn", 700, "txId", 9);
        assertThat(PostgresSlotRestoreCheck.skipsChanges(700, created)).isFalse();
        assertThat(PostgresSlotRestoreCheck.skipsChanges(701, created)).isTrue();
    }

    @Test
    void offsetsWithoutAConcretePositionAreNotCompared() {
        assertThat(PostgresSlotRestoreCheck.restoredPosition(offset("lsn", 0))).isEmpty();
        assertThat(PostgresSlotRestoreCheck.restoredPosition(Map.of("lsn", Long.toString(-1L))))
                .as("no stopping")
                .isEmpty();
        assertThat(PostgresSlotRestoreCheck.restoredPosition(Map.of())).isEmpty();
        // first transaction after the split started: its changes may lie below the confirmed start
        Map<String, String> firstTransaction = offset("lsn", 300, "lsn_proc", 300);
        assertThat(PostgresSlotRestoreCheck.skipsChanges(700, firstTransaction)).isFalse();
    }

    @Test
    void advancedSlotMessageSaysWhatHappenedAndWhatToDo() {
        assertThat(PostgresSlotRestoreCheck.advancedSlotMessage("s1", "db:5432/app", "0/3000000", "0/2000000"))
                .contains("replication slot 's1' on db:5432/app is confirmed up to 0/3000000")
                .contains("position 0/2000000 this job was restored from")
                .contains("restore the newest checkpoint or savepoint")
                .contains("WITHOUT the savepoint or checkpoint")
                .contains("snapshot.mode=initial");
    }

    private static Map<String, String> offset(Object... keysAndValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1].toString());
        }
        return m;
    }
}
