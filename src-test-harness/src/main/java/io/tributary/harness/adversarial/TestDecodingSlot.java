package io.tributary.harness.adversarial;

import io.tributary.event.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A second logical replication slot with PostgreSQL's own {@code test_decoding} plugin: the oracle
 * a test compares the pipeline with. Create it before the changes to be checked; {@link #drain}
 * consumes everything decoded since, in pages (a page ends at a transaction boundary), and parses
 * it with {@link TestDecodingParser}. Output functions run in the reading session, so the reader
 * sets {@code TimeZone} UTC and ISO dates: timestamptz values print as {@code 2020-01-01 08:00:00+00}.
 */
public final class TestDecodingSlot {
    private static final int PAGE_CHANGES = 500;

    private final String name;
    private final TestDecodingParser parser = new TestDecodingParser();

    private TestDecodingSlot(String name) {
        this.name = name;
    }

    /** Creates slot {@code name} with {@code test_decoding} in the connection's database. */
    public static TestDecodingSlot create(Connection c, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'test_decoding')")) {
            ps.setString(1, name);
            ps.execute();
        }
        commitIfNeeded(c);
        return new TestDecodingSlot(name);
    }

    public String name() {
        return name;
    }

    /**
     * Reads and consumes every change decoded since the last call; returns all changes read so far
     * (ordinals continue across calls).
     */
    public List<DecodedChange> drain(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SET DateStyle = 'ISO, YMD'");
            s.execute("SET IntervalStyle = 'postgres'");
        }
        String sql = "SELECT lsn::text, data FROM pg_logical_slot_get_changes(?, NULL, ?, "
                + "'include-xids', '1', 'skip-empty-xacts', '1')";
        while (true) {
            int rows = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, name);
                ps.setInt(2, PAGE_CHANGES);
                ps.setFetchSize(50);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        parser.accept(rs.getString(1), rs.getString(2));
                        rows++;
                    }
                }
            }
            commitIfNeeded(c);
            if (rows == 0) {
                return List.copyOf(parser.changes());
            }
        }
    }

    /** Drops the slot (it holds WAL back while it exists). */
    public void drop(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            ps.setString(1, name);
            ps.execute();
        }
        commitIfNeeded(c);
    }

    /** Primary-key columns of each table, in key order, from the catalog. */
    public static Map<TableId, List<String>> primaryKeys(Connection c, List<TableId> tables) throws SQLException {
        Map<TableId, List<String>> out = new LinkedHashMap<>();
        String sql =
                "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                        + " WHERE i.indrelid = format('%I.%I', ?::text, ?::text)::regclass AND i.indisprimary ORDER BY k.ord";
        for (TableId t : tables) {
            List<String> cols = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, t.schema());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cols.add(rs.getString(1));
                    }
                }
            }
            if (cols.isEmpty()) {
                throw new IllegalArgumentException(t + " has no primary key; the oracle needs one to name rows");
            }
            out.put(t, List.copyOf(cols));
        }
        commitIfNeeded(c);
        return out;
    }

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
