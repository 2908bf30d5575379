package io.tributary.postgres;

import io.tributary.event.TableId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Start-up checks for values Flink CDC 3.5, Debezium 1.9.8 and pgjdbc cannot carry, so the job fails at
 * deployment with the column and the remedy instead of restarting forever on the value:
 * <ul>
 *   <li>money from 1,000 up fails the snapshot: Flink CDC reads every column ({@code SELECT *}, excluded ones
 *       too) with {@code ResultSet.getObject}, and pgjdbc parses money as a double and cannot read
 *       {@code 1,000.00}. Checked with one bounded query per money column when a snapshot will run.</li>
 *   <li>an array of more than one dimension in a column declared with one ({@code int[]}) loses its elements
 *       in Debezium's array converter. Checked with one bounded query per such captured column; a column
 *       declared with more ({@code int[][]}) is carried as text by {@link PostgresTextValueConverter}.</li>
 *   <li>numeric {@code ±Infinity} (PostgreSQL 14 and later, numeric without precision only) stops the
 *       stream: Debezium's {@code PgOutputColumnValue.asDecimal} calls {@code new BigDecimal("Infinity")}
 *       for every column of the table, excluded ones too, before any converter. A warning names the columns,
 *       since most never hold it and a check would scan every row.</li>
 * </ul>
 * Each decision is a static method over catalog rows, so unit tests cover it without a server.
 */
public final class PostgresValueLimits {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresValueLimits.class);
    /** server_version_num from which numeric stores ±Infinity. */
    static final int NUMERIC_INFINITY_SINCE = 140000;

    // Captured columns with their type resolved through one domain level: base type name, its typmod, declared dims.
    private static final String COLUMNS_SQL = "SELECT n.nspname, c.relname, a.attname, b.typname,"
            + " CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END, a.attndims, b.typcategory = 'A'"
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " JOIN pg_type t ON t.oid = a.atttypid"
            + " JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END"
            + " WHERE a.attnum > 0 AND NOT a.attisdropped"
            + " AND (n.nspname, c.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))"
            + " ORDER BY 1, 2, a.attnum";

    private PostgresValueLimits() {}

    /** What the checks found: problems stop start-up, warnings are logged, text arrays go to the converter. */
    public static final class Findings {
        public final List<String> problems = new ArrayList<>();
        public final List<String> warnings = new ArrayList<>();
        /** Array columns declared with more than one dimension, {@code schema.table.column}. */
        public final List<String> textArrays = new ArrayList<>();
    }

    /** Runs every check on the captured tables over {@code c}; logs the warnings. */
    public static Findings check(Connection c, PostgresSourceSettings settings, List<TableId> tables)
            throws SQLException {
        Findings f = new Findings();
        List<ColumnInfo> columns = readColumns(c, tables);
        f.textArrays.addAll(textArrays(columns));
        numericInfinityWarning(serverVersion(c), columns).ifPresent(f.warnings::add);
        for (ColumnInfo col : columns) {
            if (settings.snapshotEnabled() && col.isMoney()) {
                if (exists(
                        c,
                        "SELECT 1 FROM " + sqlColumn(col, "") + " >= 1000::money OR "
                                + PostgresPreflight.sqlIdentifier(col.column) + " <= (-1000)::money LIMIT 1")) {
                    f.problems.add(moneyProblem(col));
                }
            }
            if (col.isOneDimensionalArray()
                    && !settings.excludes(col.table, col.column)
                    && exists(c, "SELECT 1 FROM " + sqlColumn(col, "array_ndims") + " > 1 LIMIT 1")) {
                f.problems.add(multiDimensionalProblem(col));
            }
        }
        f.warnings.forEach(LOG::warn);
        return f;
    }

    /** {@code schema.table WHERE fn(column)}, quoted. */
    private static String sqlColumn(ColumnInfo col, String fn) {
        String column = PostgresPreflight.sqlIdentifier(col.column);
        return PostgresPreflight.sqlName(col.table) + " WHERE " + (fn.isEmpty() ? column : fn + "(" + column + ")");
    }

    /** The array columns declared with more than one dimension, as the converter option names them. */
    static List<String> textArrays(List<ColumnInfo> columns) {
        return columns.stream()
                .filter(col -> col.array && col.declaredDims > 1)
                .map(col -> col.table + "." + col.column)
                .collect(Collectors.toList());
    }

    /** The warning for captured numeric columns without precision on a server that stores ±Infinity in them. */
    static Optional<String> numericInfinityWarning(int serverVersionNum, List<ColumnInfo> columns) {
        List<String> free = columns.stream()
                .filter(ColumnInfo::isUnconstrainedNumeric)
                .map(col -> col.table + "." + col.column)
                .collect(Collectors.toList());
        if (serverVersionNum < NUMERIC_INFINITY_SINCE || free.isEmpty()) {
            return Optional.empty();
        }
        ColumnInfo first = columns.stream()
                .filter(ColumnInfo::isUnconstrainedNumeric)
                .findFirst()
                .orElseThrow();
        String column = PostgresPreflight.sqlIdentifier(first.column);
        return Optional.of("numeric columns without precision " + free + " can hold 'Infinity' and"
                + " '-Infinity' (PostgreSQL 14 and later); Debezium 1.9.8 cannot decode them from the change stream, so"
                + " the first such INSERT or UPDATE stops the job (NumberFormatException: Character I is neither a"
                + " decimal digit number ... in PgOutputColumnValue.asDecimal) until it is skipped (RUNBOOK: 'numeric"
                + " Infinity stops the stream'). Excluding the column does not help: Debezium decodes every column."
                + " To rule it out, forbid the values (ALTER TABLE " + PostgresPreflight.sqlName(first.table)
                + " ADD CHECK (" + column + " NOT IN ('Infinity', '-Infinity')), after which the application gets an"
                + " error for them) or give the column a precision (numeric(p,s) cannot hold Infinity)");
    }

    static String moneyProblem(ColumnInfo col) {
        String name = PostgresPreflight.sqlName(col.table);
        return "column " + col.table + "." + col.column + " (money) holds amounts of 1,000 or more, which the snapshot"
                + " cannot read (pgjdbc parses money as a double and fails on '1,000.00'; the snapshot reads every"
                + " column, so columns.exclude does not help): change the column type (ALTER TABLE " + name
                + " ALTER COLUMN " + PostgresPreflight.sqlIdentifier(col.column) + " TYPE numeric(20,2)), capture the"
                + " table without a snapshot (snapshot.enabled = false; only changes from now on arrive), or leave"
                + " the table out (tables.exclude)";
    }

    static String multiDimensionalProblem(ColumnInfo col) {
        String name = PostgresPreflight.sqlName(col.table);
        String column = PostgresPreflight.sqlIdentifier(col.column);
        String element = col.baseType.startsWith("_") ? col.baseType.substring(1) : col.baseType;
        return "column " + col.table + "." + col.column + " is declared as a one-dimensional array but holds arrays"
                + " of more than one dimension, whose elements Debezium's array converter loses: declare it"
                + " multi-dimensional (ALTER TABLE " + name + " ALTER COLUMN " + column + " TYPE " + element
                + "[][]; no rewrite) so it is carried as PostgreSQL's array text, or exclude it (columns.exclude "
                + col.table + "." + col.column + ")";
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static int serverVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    static List<ColumnInfo> readColumns(Connection c, List<TableId> tables) throws SQLException {
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(COLUMNS_SQL)) {
            s.setArray(
                    1,
                    c.createArrayOf("text", tables.stream().map(TableId::schema).toArray()));
            s.setArray(
                    2,
                    c.createArrayOf("text", tables.stream().map(TableId::table).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ColumnInfo(
                            new TableId(rs.getString(1), rs.getString(2)),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getInt(6),
                            rs.getBoolean(7)));
                }
            }
        }
        return columns;
    }

    /** One captured column's type: its base type (through a domain), that type's modifier, declared dimensions. */
    static final class ColumnInfo {
        final TableId table;
        final String column;
        final String baseType;
        final int typmod;
        final int declaredDims;
        final boolean array;

        ColumnInfo(TableId table, String column, String baseType, int typmod, int declaredDims, boolean array) {
            this.table = Objects.requireNonNull(table, "table");
            this.column = column;
            this.baseType = baseType;
            this.typmod = typmod;
            this.declaredDims = declaredDims;
            this.array = array;
        }

        boolean isUnconstrainedNumeric() {
            return "numeric".equals(baseType) && typmod < 0;
        }

        boolean isMoney() {
            return "money".equals(baseType);
        }

        /** An array column declared with at most one dimension ({@code int[]}; 0 when created by CREATE TABLE AS). */
        boolean isOneDimensionalArray() {
            return array && declaredDims <= 1;
        }
    }
}
