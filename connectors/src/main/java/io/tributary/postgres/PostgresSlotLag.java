package io.tributary.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How many bytes of WAL the job's replication slot holds back on the server
 * ({@code pg_current_wal_lsn() - confirmed_flush_lsn}): the slot lag an operator watches, because
 * a slot that stops advancing makes the database keep WAL until its disk fills.
 */
public final class PostgresSlotLag implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
            + " FROM pg_replication_slots WHERE slot_name = ?";

    private final PostgresSourceSettings settings;

    public PostgresSlotLag(PostgresSourceSettings settings) {
        this.settings = settings;
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

    /** Opens a short-lived connection (no retries) and queries the lag. */
    public long read() throws SQLException {
        Properties props = PostgresConnectionProperties.jdbc(settings, "tributary-slot-lag");
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), props)) {
            return query(c);
        }
    }
}
