package io.tributary.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * How many bytes of WAL the job's replication slot holds back on the server
 * ({@code pg_current_wal_lsn() - confirmed_flush_lsn}): the slot lag an operator watches, because
 * a slot that stops advancing makes the database keep WAL until its disk fills. It also reads
 * {@link PostgresSlotPositions} (the WAL's end and how far the slot has been sent), from which the
 * job derives its time-based commit lag. Only reads: it never writes to the database.
 */
public final class PostgresSlotLag implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
            + " FROM pg_replication_slots WHERE slot_name = ?";

    /**
     * One row per slot: the WAL's end, the walsender's sent position while the slot is streamed (the
     * walsender runs as the job's role, so the role may read its {@code sent_lsn} without
     * pg_read_all_stats), the confirmed position, and the byte lag the gauge reports.
     */
    static final String POSITIONS = "SELECT pg_wal_lsn_diff(pg_current_wal_flush_lsn(), '0/0')::bigint,"
            + " pg_wal_lsn_diff(r.sent_lsn, '0/0')::bigint,"
            + " pg_wal_lsn_diff(s.confirmed_flush_lsn, '0/0')::bigint,"
            + " pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint"
            + " FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid"
            + " WHERE s.slot_name = ?";
    /** How often the job polls the slot in production. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);

    private final PostgresSourceSettings settings;
    private final Duration pollInterval;

    public PostgresSlotLag(PostgresSourceSettings settings) {
        this(settings, DEFAULT_POLL_INTERVAL);
    }

    /** @param pollInterval how often the job reads the slot (its commit lag while idle stays below this) */
    public PostgresSlotLag(PostgresSourceSettings settings, Duration pollInterval) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("slot poll interval must be positive, got " + pollInterval);
        }
        this.settings = settings;
        this.pollInterval = pollInterval;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public String slotName() {
        return settings.slotName();
    }

    /** The slot's lag in bytes on an open connection; -1 if the slot does not exist (yet). */
    public long query(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setString(1, settings.slotName());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : -1;
            }
        }
    }

    /** The slot's positions on an open connection; null if the slot does not exist (yet). */
    public PostgresSlotPositions positions(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(POSITIONS)) {
            s.setString(1, settings.slotName());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long wal = rs.getLong(1);
                long sent = rs.getLong(2);
                boolean streaming = !rs.wasNull();
                long confirmed = rs.getLong(3);
                boolean confirmedKnown = !rs.wasNull();
                long lag = rs.getLong(4);
                boolean lagKnown = !rs.wasNull();
                long read = streaming ? sent : confirmedKnown ? confirmed : -1;
                return new PostgresSlotPositions(wal, read, streaming, lagKnown ? lag : -1);
            }
        }
    }

    /** Opens a short-lived connection (no retries) and reads the slot's positions; null without the slot. */
    public PostgresSlotPositions readPositions() throws SQLException {
        try (Connection c = connect()) {
            return positions(c);
        }
    }

    /** Opens a short-lived connection (no retries) and queries the lag. */
    public long read() throws SQLException {
        try (Connection c = connect()) {
            return query(c);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = PostgresConnectionProperties.jdbc(settings, "tributary-slot-lag");
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(settings.jdbcUrl(), props);
    }
}
