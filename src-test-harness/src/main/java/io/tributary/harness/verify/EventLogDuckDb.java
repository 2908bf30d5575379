package io.tributary.harness.verify;

import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.s3.EventLogSql;

import org.duckdb.DuckDBStruct;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Athena's queries run locally: an in-memory DuckDB over a local event log, using the SQL that
 * {@link io.tributary.s3.AthenaDdl} generates ({@link EventLogSql}), with {@code read_parquet} as
 * the relation. Lists come back as {@link List}, structs as {@link Map}.
 */
public final class EventLogDuckDb implements AutoCloseable {
    private final Path log;
    private final Connection connection;

    private EventLogDuckDb(Path log, Connection connection) {
        this.log = log;
        this.connection = connection;
    }

    /** Opens an in-memory DuckDB (session time zone UTC) over the log at {@code log}. */
    public static EventLogDuckDb open(Path log) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone='UTC'");
        }
        return new EventLogDuckDb(log, c);
    }

    /** Every file of one table, all schema versions, with {@code dt} and {@code hr} as columns. */
    public String relation(TableId table) {
        String glob = log.resolve(table.toString()).toString().replace("'", "''") + "/**/*.parquet";
        return "read_parquet('" + glob + "', hive_partitioning=true, union_by_name=true)";
    }

    /** The newest state of every existing row ({@link EventLogSql#latestState}). */
    public List<Map<String, Object>> latestState(TableSchema table) throws SQLException {
        return query(EventLogSql.latestState(table, relation(table.table())));
    }

    /** Every row's state as of commit time {@code asOf} ({@link EventLogSql#asOf}). */
    public List<Map<String, Object>> asOf(TableSchema table, Instant asOf) throws SQLException {
        return query(EventLogSql.asOf(table, relation(table.table()), asOf, EventLogSql.Dialect.DUCKDB));
    }

    /** Every event of the table ordered by {@code lsn, change_lsn}. */
    public List<Map<String, Object>> allEvents(TableId table) throws SQLException {
        return query(EventLogSql.allEvents(relation(table)));
    }

    /** Runs any query; column labels are the map keys, in select order. */
    public List<Map<String, Object>> query(String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), plain(rs.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static Object plain(Object v) throws SQLException {
        if (v instanceof Array) {
            List<Object> out = new ArrayList<>();
            for (Object e : (Object[]) ((Array) v).getArray()) {
                out.add(plain(e));
            }
            return out;
        }
        if (v instanceof DuckDBStruct) {
            return plainStruct((DuckDBStruct) v);
        }
        return v;
    }

    private static Map<String, Object> plainStruct(DuckDBStruct s) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : s.getMap().entrySet()) {
            out.put(e.getKey(), plain(e.getValue()));
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
