package io.tributary.postgres;

/**
 * One reading of where the server's WAL is and how far the job's replication slot has been read,
 * taken in one query so the two positions are comparable. Positions are LSNs as unsigned-in-practice
 * longs (PostgreSQL's {@code pg_lsn} minus {@code 0/0}).
 */
public final class PostgresSlotPositions {
    private final long walLsn;
    private final long readLsn;
    private final boolean streaming;
    private final long lagBytes;

    public PostgresSlotPositions(long walLsn, long readLsn, boolean streaming, long lagBytes) {
        this.walLsn = walLsn;
        this.readLsn = readLsn;
        this.streaming = streaming;
        this.lagBytes = lagBytes;
    }

    /** {@code pg_current_wal_flush_lsn()}: the end of the WAL a walsender can decode. */
    public long walLsn() {
        return walLsn;
    }

    /**
     * How far PostgreSQL has decoded and sent the slot to the job: the walsender's {@code sent_lsn}
     * while the job's replication connection is open (it moves over WAL outside the publication too,
     * so an idle captured schema in a busy database stays caught up), else the slot's
     * {@code confirmed_flush_lsn} (job stopped, restarting, or still snapshotting); -1 if the slot
     * does not exist.
     */
    public long readLsn() {
        return readLsn;
    }

    /** Whether {@link #readLsn()} is the open connection's {@code sent_lsn}. */
    public boolean streaming() {
        return streaming;
    }

    /** {@code pg_current_wal_lsn() - confirmed_flush_lsn} in bytes: WAL the slot holds back; -1 without the slot. */
    public long lagBytes() {
        return lagBytes;
    }

    @Override
    public String toString() {
        return "wal=" + walLsn + " read=" + readLsn + (streaming ? " (sent)" : " (confirmed)") + " lagBytes="
                + lagBytes;
    }
}
