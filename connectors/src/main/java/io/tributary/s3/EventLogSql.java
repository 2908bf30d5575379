package io.tributary.s3;

import io.tributary.event.TableSchema;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The queries over one table's event log, written once for Athena and DuckDB so they cannot drift.
 *
 * <p>Both engines run the same text; a {@link Dialect} supplies only what differs, the timestamp
 * literal. The caller supplies the relation: an Athena table, or DuckDB's {@code read_parquet(…)}.
 */
public final class EventLogSql {
    private static final DateTimeFormatter LITERAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    /** What differs between the engines. */
    public enum Dialect {
        /** Athena (Trino) reads UTC-adjusted Parquet timestamps as zone-less UTC timestamps. */
        ATHENA {
            @Override
            String timestamp(Instant t) {
                return "TIMESTAMP '" + LITERAL.format(t) + "'";
            }
        },
        /** DuckDB reads UTC-adjusted Parquet timestamps as TIMESTAMPTZ. */
        DUCKDB {
            @Override
            String timestamp(Instant t) {
                return "TIMESTAMPTZ '" + LITERAL.format(t) + "+00'";
            }
        };

        abstract String timestamp(Instant t);
    }

    private EventLogSql() {}

    /**
     * The newest state of every row that exists: per key, the event with the greatest
     * {@code (lsn, change_lsn)}, unless that event is a delete or comes before the table's latest
     * TRUNCATE (op T).
     */
    public static String latestState(TableSchema table, String relation) {
        return ranked(table, relation, null);
    }

    /**
     * The state of every row that existed at commit time {@code asOf} (inclusive): the latest state
     * of the events committed by then, cut by the latest TRUNCATE committed by then.
     */
    public static String asOf(TableSchema table, String relation, Instant asOf, Dialect dialect) {
        return ranked(table, relation, ParquetEventLogSchema.COMMIT_TS + " <= " + dialect.timestamp(asOf));
    }

    /** Every event of the table in log order. */
    public static String allEvents(String relation) {
        return "SELECT *\nFROM " + relation + "\nORDER BY " + ParquetEventLogSchema.LSN + ", "
                + ParquetEventLogSchema.CHANGE_LSN;
    }

    /**
     * Ranks each key's events (TRUNCATE rows, which have no key, left out) and keeps a key's newest
     * event if it is no delete and lies after the latest TRUNCATE in the same bound. The TRUNCATE is
     * found by a one-row subquery joined to every row, not a correlated subquery or a window over the
     * whole table, so Athena keeps the ranking distributed. Positions compare as (lsn, change_lsn).
     */
    private static String ranked(TableSchema table, String relation, String where) {
        List<String> names = ParquetEventLogSchema.of(table).fieldNames();
        List<String> columns = new ArrayList<>();
        for (String n : names) {
            columns.add("ranked." + quote(n));
        }
        // unknown_columns and special_values say what a NULL in a row column really is (docs/formats)
        for (String envelope : new String[] {
            ParquetEventLogSchema.COMMIT_TS,
            ParquetEventLogSchema.LSN,
            ParquetEventLogSchema.CHANGE_LSN,
            ParquetEventLogSchema.TX_ID,
            ParquetEventLogSchema.EVENT_ID,
            ParquetEventLogSchema.UNKNOWN_COLUMNS,
            ParquetEventLogSchema.SPECIAL_VALUES
        }) {
            columns.add("ranked." + quote(envelope));
        }
        List<String> keys = new ArrayList<>();
        for (int i : table.keyIndexes()) {
            keys.add(quote(names.get(i)));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("table " + table.table() + " has no key columns, so its latest"
                    + " state is undefined: give it a primary key or configure key columns for it");
        }
        String bound = where == null ? "" : " AND " + where;
        return "SELECT " + String.join(", ", columns) + "\n"
                + "FROM (\n"
                + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY " + String.join(", ", keys)
                + " ORDER BY lsn DESC, change_lsn DESC) AS row_rank\n"
                + "  FROM " + relation + "\n"
                + "  WHERE op <> 'T'" + bound + "\n"
                + ") AS ranked\n"
                + "LEFT JOIN (\n"
                + "  SELECT lsn AS truncate_lsn, change_lsn AS truncate_change_lsn\n"
                + "  FROM (\n"
                + "    SELECT lsn, change_lsn, ROW_NUMBER() OVER (ORDER BY lsn DESC, change_lsn DESC) AS truncate_rank\n"
                + "    FROM " + relation + "\n"
                + "    WHERE op = 'T'" + bound + "\n"
                + "  ) AS truncates\n"
                + "  WHERE truncate_rank = 1\n"
                + ") AS last_truncate ON TRUE\n"
                + "WHERE ranked.row_rank = 1 AND ranked.op <> 'D'\n"
                + "  AND (last_truncate.truncate_lsn IS NULL OR ranked.lsn > last_truncate.truncate_lsn\n"
                + "    OR (ranked.lsn = last_truncate.truncate_lsn"
                + " AND ranked.change_lsn > last_truncate.truncate_change_lsn))";
    }

    /** A double-quoted SQL identifier, as Athena (Trino) and DuckDB both accept. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
