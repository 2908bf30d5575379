package io.tributary.harness.demo;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Loads generated rows with {@code COPY … FROM STDIN (FORMAT csv)}: a million rows take seconds,
 * where batched INSERTs take minutes. Every field is quoted, so commas, quotes and backslashes in
 * values need no further care; an unquoted empty field is NULL.
 */
final class DemoSeeder {
    private static final int FLUSH_CHARS = 1 << 20;

    private DemoSeeder() {}

    /**
     * Copies {@code count} generated rows into {@code table}. Row {@code i} (0-based) gets key
     * {@code keyOf(i)} and values from a generator seeded by {@code seed} and the table, so the
     * same arguments always give the same data.
     */
    static long copy(Connection conn, DemoTable table, long count, long seed, KeyOfIndex keyOf) throws SQLException {
        String columns = table.columns().stream().map(DemoTable.Column::name).collect(Collectors.joining(", "));
        String sql = "COPY public." + table.tableName() + " (" + columns + ") FROM STDIN (FORMAT csv)";
        SplittableRandom random = new SplittableRandom(seed * 31 + table.ordinal());
        CopyIn copy = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            StringBuilder buf = new StringBuilder(FLUSH_CHARS + 64 * 1024);
            for (long i = 0; i < count; i++) {
                appendCsv(buf, table.newRow(keyOf.key(i), random));
                if (buf.length() >= FLUSH_CHARS) {
                    flush(copy, buf);
                }
            }
            flush(copy, buf);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void flush(CopyIn copy, StringBuilder buf) throws SQLException {
        byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buf.setLength(0);
    }

    static void appendCsv(StringBuilder buf, String[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                buf.append(',');
            }
            String v = row[i];
            if (v != null) {
                buf.append('"');
                for (int j = 0; j < v.length(); j++) {
                    char c = v.charAt(j);
                    buf.append(c);
                    if (c == '"') {
                        buf.append('"');
                    }
                }
                buf.append('"');
            }
        }
        buf.append('\n');
    }

    /** The packed primary key of the {@code i}-th seeded row. */
    @FunctionalInterface
    interface KeyOfIndex {
        long key(long index);
    }
}
