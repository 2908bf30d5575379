package io.tributary.harness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database's own account of its change stream: a second logical slot with PostgreSQL's
 * {@code test_decoding} plugin, created before a workload and read afterwards with
 * {@code pg_logical_slot_get_changes}. Rows come back in the order the server streams them
 * (transactions in commit order), so a test can check the job against the server rather than
 * against its own workload's tally.
 */
public final class PostgresTestDecoding {
    private final String slot;

    private PostgresTestDecoding(String slot) {
        this.slot = slot;
    }

    /** Creates slot {@code slot} with the test_decoding plugin in the database {@code c} is connected to. */
    public static PostgresTestDecoding create(Connection c, String slot) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'test_decoding')")) {
            s.setString(1, slot);
            s.execute();
        }
        return new PostgresTestDecoding(slot);
    }

    /** Consumes and returns every change the slot holds, in stream order (BEGIN/COMMIT lines left out). */
    public List<Change> take(Connection c) throws SQLException {
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT lsn::text, xid::text::bigint, data FROM "
                + "pg_logical_slot_get_changes(?, NULL, NULL, 'skip-empty-xacts', '1')")) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String data = rs.getString(3);
                    if (data.startsWith("table ")) {
                        changes.add(Change.parse(rs.getString(1), rs.getLong(2), data));
                    }
                }
            }
        }
        return changes;
    }

    /** Drops the slot so it holds back no WAL. */
    public void drop(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot('" + slot.replace("'", "''") + "')");
        }
    }

    /**
     * One decoded row change: {@code table public.t: UPDATE: old-key: k[integer]:1 new-tuple:
     * k[integer]:2 v[text]:'x'}. Values are test_decoding's text (strings unquoted).
     */
    public static final class Change {
        public final String lsn;
        public final long xid;
        public final String table;
        /** INSERT, UPDATE or DELETE (or TRUNCATE). */
        public final String op;
        /** The old key (UPDATE that changed the key) or the old row/key (DELETE); empty otherwise. */
        public final Map<String, String> old;
        /** The new tuple (INSERT, UPDATE); empty for DELETE. */
        public final Map<String, String> row;

        private Change(String lsn, long xid, String table, String op, Map<String, String> old, Map<String, String> row) {
            this.lsn = lsn;
            this.xid = xid;
            this.table = table;
            this.op = op;
            this.old = old;
            this.row = row;
        }

        static Change parse(String lsn, long xid, String data) {
            int tableEnd = data.indexOf(": ");
            String table = data.substring("table ".length(), tableEnd);
            int opEnd = data.indexOf(':', tableEnd + 2);
            String op = data.substring(tableEnd + 2, opEnd);
            String rest = data.substring(opEnd + 1).trim();
            Map<String, String> old = Collections.emptyMap();
            Map<String, String> row;
            if (rest.startsWith("old-key:") || rest.startsWith("old-tuple:")) {
                int split = rest.indexOf(" new-tuple:");
                old = columns(rest.substring(rest.indexOf(':') + 1, split));
                row = columns(rest.substring(split + " new-tuple:".length()));
            } else if ("DELETE".equals(op)) {
                old = columns(rest);
                row = Collections.emptyMap();
            } else {
                row = columns(rest);
            }
            return new Change(lsn, xid, table, op, old, row);
        }

        /** Parses {@code name[type]:value ...}; values are bare or single-quoted with '' escapes. */
        static Map<String, String> columns(String text) {
            Map<String, String> out = new LinkedHashMap<>();
            int i = 0;
            while (i < text.length()) {
                while (i < text.length() && text.charAt(i) == ' ') {
                    i++;
                }
                if (i >= text.length() || text.startsWith("(no-tuple-data)", i)) {
                    break;
                }
                int open = text.indexOf('[', i);
                String name = text.substring(i, open);
                int colon = text.indexOf("]:", open);
                i = colon + 2;
                StringBuilder value = new StringBuilder();
                if (i < text.length() && text.charAt(i) == '\'') {
                    i++;
                    while (i < text.length()) {
                        char ch = text.charAt(i++);
                        if (ch == '\'') {
                            if (i < text.length() && text.charAt(i) == '\'') {
                                value.append('\'');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            value.append(ch);
                        }
                    }
                } else {
                    int end = text.indexOf(' ', i);
                    end = end < 0 ? text.length() : end;
                    value.append(text, i, end);
                    i = end;
                }
                out.put(name, value.toString());
            }
            return out;
        }

        @Override
        public String toString() {
            return op + " " + table + " xid " + xid + " @" + lsn + " old=" + old + " new=" + row;
        }
    }
}
