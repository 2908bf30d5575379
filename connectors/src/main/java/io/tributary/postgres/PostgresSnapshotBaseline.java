package io.tributary.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The WAL position a snapshot's baseline TRUNCATE is placed just below (see {@link PostgresChunkPositionEmitter}):
 * above every change committed before the snapshot, at or below the low watermark of every chunk it reads.
 *
 * <p>Read when the job is built, before the source runs: {@code pg_current_wal_lsn()}, or the slot's
 * {@code confirmed_flush_lsn} if the slot exists and is lower. A job restored during its snapshot phase is built
 * again later (higher current LSN) but finds its slot, which Flink CDC created before reading any chunk and does
 * not advance until the snapshot is done: so the baseline of a table's first chunk read after the restore is still
 * at or below the chunks read before it, and no row of the same snapshot is ever below its own baseline. A job
 * restored from a checkpoint by Flink (failover) keeps the value it was built with.
 */
public final class PostgresSnapshotBaseline {
    static final String QUERY = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text,"
            + " (SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::text FROM pg_replication_slots"
            + " WHERE slot_name = ? AND confirmed_flush_lsn IS NOT NULL)";

    private PostgresSnapshotBaseline() {}

    /** The baseline LSN for a snapshot that will run through {@code slotName}. */
    public static long read(Connection c, String slotName) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setString(1, slotName);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long current = Long.parseUnsignedLong(rs.getString(1));
                String slot = rs.getString(2);
                return slot == null ? current : min(current, Long.parseUnsignedLong(slot));
            }
        }
    }

    /** Whether the replication slot {@code slotName} exists. */
    public static boolean slotExists(Connection c, String slotName) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slotName);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    static long min(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
