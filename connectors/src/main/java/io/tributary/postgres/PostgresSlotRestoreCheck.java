package io.tributary.postgres;

import io.debezium.connector.postgresql.connection.Lsn;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.connector.postgresql.spi.SlotState;
import org.apache.flink.cdc.connectors.base.source.meta.split.StreamSplit;
import org.apache.flink.cdc.connectors.postgres.source.PostgresDialect;
import org.apache.flink.runtime.execution.SuppressRestartsException;

import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Refuses to restore a job whose replication slot is gone, or has advanced past the restored position.
 *
 * <p><b>Missing slot.</b> Flink CDC's enumerator creates the slot on every start, restored or not
 * ({@code PostgresSourceEnumerator.start}). For a restored job that is wrong: a new slot begins at the current end of
 * the WAL, so the changes committed between the restored position and now would be skipped without a trace. The check
 * runs in {@link PostgresChunkPositionSource#restoreEnumerator} — the one place that knows the job is restored (its
 * enumerator state exists) and runs before the slot is created — and in every reader before it reads a stream split
 * ({@link PostgresSlotCheckingReader}: a restored reader streams from its own state even when the enumerator failed).
 *
 * <p><b>Advanced slot.</b> PostgreSQL decodes a logical slot from {@code max(requested, confirmed_flush_lsn)} and
 * skips every transaction whose COMMIT record starts below that point. A slot confirmed beyond the restored position
 * (an older checkpoint or savepoint restored after newer ones confirmed it further; {@code
 * pg_replication_slot_advance}; another consumer of the slot) therefore skips changes the restored job never read.
 * What is compared, by the reader, for the stream split it is given:
 * <ul>
 *   <li>the slot's {@code confirmed_flush_lsn} ({@code SlotState.slotLastFlushedLsn}), with</li>
 *   <li>the restored position {@code R = max(lsn, lsn_commit)} of the split's starting offset. That offset is the
 *   whole Debezium offset of the last record (change or heartbeat) the source emitted before the checkpoint
 *   ({@code IncrementalSourceRecordEmitter} sets it), or, before any record, the split's creation offset (a chunk high
 *   watermark, the current or the committed WAL position), which holds only {@code lsn}.</li>
 * </ul>
 * Why {@code confirmed_flush_lsn <= R} never loses a change: {@code lsn_commit} is the end of the last COMMIT the
 * stream passed, so every transaction the restored job still needs (the one {@code lsn} is in, and all after it)
 * has its COMMIT at or after {@code lsn_commit} and after {@code lsn}; PostgreSQL sends all of them. Why a legitimate
 * restore never has {@code confirmed_flush_lsn > R}: Flink CDC confirms to the slot only on checkpoint completion,
 * the {@code lsn} of a completed checkpoint's own stream offset ({@code IncrementalSourceReaderWithCommit
 * .notifyCheckpointComplete} → {@code PostgresStreamFetchTask.commitCurrentOffset}, which puts it in {@code
 * lsn_commit} for {@code PostgresStreamingChangeEventSource.commitOffset} → {@code flushLsn}; Postgres keeps the
 * maximum), and every offset the stream emitted up to a record has {@code lsn <= R} (earlier changes of its
 * transaction are below its own {@code lsn}, changes and heartbeats of earlier transactions at or below their COMMIT,
 * hence {@code <= lsn_commit}). So the newest checkpoint or a stop-with-savepoint is never below what was confirmed:
 * at most equal (the source builder leaves the confirmation delay {@code lsnCommitCheckpointsDelay} at 0, so each
 * completed checkpoint is confirmed at once; with {@code scanNewlyAddedTableEnabled} nothing is confirmed until the
 * enumerator's first {@code OffsetCommitEvent}, sent by its 30-second {@code syncWithReaders}, after every start).
 * {@code lsn} alone would not do: a transaction that wrote before an earlier one committed carries change LSNs below
 * that earlier COMMIT, which may already be confirmed. The null-offset confirmation of Flink CDC that would break
 * this is switched off in {@link PostgresChunkDialect}.
 *
 * <p>Limits, both on the side of letting the restore go on: a starting offset with {@code lsn_proc} but without
 * {@code lsn_commit} (a record of the first transaction after the stream split started, before any COMMIT) is not
 * compared, since that transaction's changes may lie below the split's start, which was confirmed; and whether the
 * WAL between {@code R} and {@code confirmed_flush_lsn} held any captured change cannot be known (the slot no
 * longer decodes it), so the job refuses even when it held none.
 *
 * <p>Both checks fail with {@link SuppressRestartsException}, so Flink does not retry a start that cannot succeed.
 */
public final class PostgresSlotRestoreCheck {
    private static final long NO_STOPPING_LSN = Lsn.NO_STOPPING_LSN.asLong();

    private PostgresSlotRestoreCheck() {}

    /** Refuses a restore whose slot is missing. */
    static void check(PostgresDialect dialect, String where) {
        if (slot(dialect, where) == null) {
            throw new SuppressRestartsException(
                    new IllegalStateException(missingSlotMessage(dialect.getSlotName(), where)));
        }
    }

    /** Refuses a stream split whose slot is missing, or confirmed beyond the split's starting position. */
    static void checkStreamSplit(PostgresDialect dialect, String where, StreamSplit split) {
        SlotState slot = slot(dialect, where);
        if (slot == null) {
            throw new SuppressRestartsException(
                    new IllegalStateException(missingSlotMessage(dialect.getSlotName(), where)));
        }
        Lsn confirmed = slot.slotLastFlushedLsn();
        Map<String, String> offset = split.getStartingOffset().getOffset();
        if (confirmed != null && skipsChanges(confirmed.asLong(), offset)) {
            throw new SuppressRestartsException(new IllegalStateException(advancedSlotMessage(
                    dialect.getSlotName(),
                    where,
                    confirmed.asString(),
                    Lsn.valueOf(restoredPosition(offset).getAsLong()).asString())));
        }
    }

    /** Whether a slot confirmed up to {@code confirmedFlush} would skip changes a split starting at {@code offset} needs. */
    static boolean skipsChanges(long confirmedFlush, Map<String, String> offset) {
        OptionalLong restored = restoredPosition(offset);
        return confirmedFlush != 0L
                && restored.isPresent()
                && Long.compareUnsigned(confirmedFlush, restored.getAsLong()) > 0;
    }

    /**
     * The restored position {@code max(lsn, lsn_commit)} of a stream split's starting offset (Debezium's offset keys),
     * or empty when the offset is not a concrete position to compare: no {@code lsn}, the initial or the no-stopping
     * marker, or a record of the first transaction after the split started ({@code lsn_proc} without
     * {@code lsn_commit}).
     */
    static OptionalLong restoredPosition(Map<String, String> offset) {
        Long lsn = parse(offset.get("lsn"));
        if (lsn == null || lsn == 0L || lsn == NO_STOPPING_LSN) {
            return OptionalLong.empty();
        }
        Long commit = parse(offset.get("lsn_commit"));
        if (commit == null) {
            return offset.get("lsn_proc") == null ? OptionalLong.of(lsn) : OptionalLong.empty();
        }
        return OptionalLong.of(Long.compareUnsigned(lsn, commit) >= 0 ? lsn : commit);
    }

    private static Long parse(String value) {
        return value == null ? null : Long.valueOf(value);
    }

    private static SlotState slot(PostgresDialect dialect, String where) {
        try (PostgresConnection c = dialect.openJdbcConnection()) {
            return c.getReplicationSlotState(dialect.getSlotName(), dialect.getPluginName());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot check replication slot '" + dialect.getSlotName() + "' on " + where + " before restoring: "
                            + e.getMessage(),
                    e);
        }
    }

    public static String missingSlotMessage(String slotName, String where) {
        return "replication slot '" + slotName + "' does not exist on " + where + ", but this job was restored from"
                + " a checkpoint or savepoint whose position is in that slot. The changes committed since then are no"
                + " longer retained, and a new slot would start at the current end of the WAL and skip them, so the"
                + " job stops and creates nothing. To re-baseline the destinations, start the job WITHOUT the"
                + " savepoint or checkpoint (fresh state) with source.postgres.snapshot.mode=initial and the same"
                + " destinations: the new snapshot supersedes their older rows and removes the rows deleted meanwhile"
                + " (docs/RUNBOOK.md, \"Re-baseline after a lost slot\")";
    }

    public static String advancedSlotMessage(String slotName, String where, String confirmed, String restored) {
        return "replication slot '" + slotName + "' on " + where + " is confirmed up to " + confirmed + ", beyond the"
                + " position " + restored + " this job was restored from. PostgreSQL streams a slot only from its"
                + " confirmed position, so the changes committed between " + restored + " and " + confirmed + " would"
                + " be skipped; the job stops. This happens when an older checkpoint or savepoint is restored after a"
                + " newer one confirmed the slot further, or when the slot was advanced (pg_replication_slot_advance)"
                + " or read by another consumer while the job was stopped. If an older savepoint was restored by"
                + " mistake, restore the newest checkpoint or savepoint instead. Otherwise take a new snapshot: start the job"
                + " WITHOUT the savepoint or checkpoint (fresh state) with snapshot.mode=initial and the same"
                + " destinations (docs/RUNBOOK.md, \"Re-baseline after a lost slot\"); give each job its own slot";
    }
}
