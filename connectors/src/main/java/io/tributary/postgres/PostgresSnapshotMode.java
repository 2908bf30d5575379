package io.tributary.postgres;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a job started without state (no checkpoint or savepoint) reads first; option {@code snapshot.mode}.
 *
 * <p>A restored job never snapshots again: its position is in its state and its slot. If that slot is gone, it
 * stops ({@link PostgresSlotRestoreCheck}) whatever the mode; re-baselining is a start without state.
 */
public enum PostgresSnapshotMode {
    /** Snapshot every captured table, then stream from the snapshot's position. The default. */
    INITIAL,
    /** No snapshot: stream from the slot's confirmed position if the slot exists (its backlog included), else from now. */
    NEVER,
    /** Snapshot if the slot does not exist; if it does, stream from its confirmed position as {@link #NEVER}. */
    WHEN_NEEDED,
    /**
     * Snapshot on every start without state, as {@link #INITIAL} (this job keeps its offsets in Flink state, so a
     * start without state always has none); accepted so Debezium users find their word.
     */
    ALWAYS;

    /** The option's spelling: {@code initial}, {@code never}, {@code when-needed}, {@code always}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the option's spelling, or throws naming the accepted values. */
    public static PostgresSnapshotMode parse(String value) {
        for (PostgresSnapshotMode m : values()) {
            if (m.optionValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("'snapshot.mode' = '" + value + "' is not one of: "
                + Arrays.stream(values()).map(PostgresSnapshotMode::optionValue).collect(Collectors.joining(", ")));
    }

    /** Whether a start without state snapshots, given whether the slot already exists. */
    public boolean snapshots(boolean slotExists) {
        switch (this) {
            case NEVER:
                return false;
            case WHEN_NEEDED:
                return !slotExists;
            default:
                return true;
        }
    }
}
