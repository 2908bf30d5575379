package io.tributary.postgres;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.connector.postgresql.spi.SlotState;

import org.apache.flink.cdc.connectors.postgres.source.PostgresDialect;
import org.apache.flink.runtime.execution.SuppressRestartsException;

import java.sql.SQLException;

/**
 * Refuses to restore a job whose replication slot is gone.
 *
 * <p>Flink CDC's enumerator creates the slot on every start, restored or not ({@code PostgresSourceEnumerator.start}).
 * For a restored job that is wrong: a new slot begins at the current end of the WAL, so the changes committed
 * between the restored position and now would be skipped without a trace. The check runs in
 * {@link PostgresChunkPositionSource#restoreEnumerator} — the one place that knows the job is restored (its
 * enumerator state exists) and runs before the slot is created — and in every reader before it reads a stream split
 * ({@link PostgresSlotCheckingReader}: a restored reader streams from its own state even when the enumerator failed).
 * It fails with {@link SuppressRestartsException}, so Flink does not retry a start that cannot succeed.
 */
final class PostgresSlotRestoreCheck {
    private PostgresSlotRestoreCheck() {
    }

    static void check(PostgresDialect dialect, String where) {
        SlotState slot;
        try (PostgresConnection c = dialect.openJdbcConnection()) {
            slot = c.getReplicationSlotState(dialect.getSlotName(), dialect.getPluginName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check replication slot '" + dialect.getSlotName() + "' on "
                    + where + " before restoring: " + e.getMessage(), e);
        }
        if (slot == null) {
            throw new SuppressRestartsException(new IllegalStateException(missingSlotMessage(dialect.getSlotName(), where)));
        }
    }

    static String missingSlotMessage(String slotName, String where) {
        return "replication slot '" + slotName + "' does not exist on " + where + ", but this job was restored from"
                + " a checkpoint or savepoint whose position is in that slot. The changes committed since then are no"
                + " longer retained, and a new slot would start at the current end of the WAL and skip them, so the"
                + " job stops and creates nothing. To re-baseline the destinations, start the job WITHOUT the"
                + " savepoint or checkpoint (fresh state) with source.postgres.snapshot.mode=initial and the same"
                + " destinations: the new snapshot supersedes their older rows and removes the rows deleted meanwhile"
                + " (docs/RUNBOOK.md, \"Re-baseline after a lost slot\")";
    }
}
