package io.tributary.postgres;

import io.tributary.event.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Reads the user tables of a database with their columns, primary key, replica identity and its index. */
public final class PostgresTableCatalog {
    // Ordinary and partitioned tables outside the system schemas; columns in ordinal order, primary key in key order.
    private static final String SQL = "SELECT n.nspname, c.relname, c.relreplident,"
            + " ARRAY(SELECT a.attname::text FROM pg_attribute a"
            + "   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),"
            + " ARRAY(SELECT a.attname::text FROM pg_index i"
            + "   CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
            + "   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
            + "   WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.ord),"
            + " (SELECT ci.relname::text FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid"
            + "   WHERE i.indrelid = c.oid AND i.indisreplident)"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
            + " ORDER BY 1, 2";

    private PostgresTableCatalog() {}

    public static List<TableInfo> read(Connection c) throws SQLException {
        List<TableInfo> tables = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SQL);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                tables.add(new TableInfo(
                        new TableId(rs.getString(1), rs.getString(2)),
                        Arrays.asList((String[]) rs.getArray(4).getArray()),
                        Arrays.asList((String[]) rs.getArray(5).getArray()),
                        rs.getString(3),
                        rs.getString(6)));
            }
        }
        return tables;
    }

    /** One table as the catalog describes it. */
    public static final class TableInfo {
        private final TableId table;
        private final List<String> columns;
        private final List<String> primaryKey;
        private final String replicaIdentity;
        private final String replicaIdentityIndex;

        /** {@code replicaIdentity} is pg_class.relreplident: d(efault), n(othing), f(ull), i(ndex). */
        public TableInfo(TableId table, List<String> columns, List<String> primaryKey, String replicaIdentity) {
            this(table, columns, primaryKey, replicaIdentity, null);
        }

        /** @param replicaIdentityIndex the index marked {@code indisreplident}, or null if none is */
        public TableInfo(
                TableId table,
                List<String> columns,
                List<String> primaryKey,
                String replicaIdentity,
                String replicaIdentityIndex) {
            this.table = Objects.requireNonNull(table, "table");
            this.columns = List.copyOf(columns);
            this.primaryKey = List.copyOf(primaryKey);
            this.replicaIdentity = replicaIdentity;
            this.replicaIdentityIndex = replicaIdentityIndex;
        }

        public TableId table() {
            return table;
        }

        public List<String> columns() {
            return columns;
        }

        /** Primary key columns in key order; empty if the table has none. */
        public List<String> primaryKey() {
            return primaryKey;
        }

        public String replicaIdentity() {
            return replicaIdentity;
        }

        /**
         * The index REPLICA IDENTITY USING INDEX names, or null. Null with {@link #replicaIdentity()} 'i' means
         * the index was dropped: PostgreSQL then treats the identity as NOTHING.
         */
        public String replicaIdentityIndex() {
            return replicaIdentityIndex;
        }
    }
}
