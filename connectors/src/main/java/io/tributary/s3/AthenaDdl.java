package io.tributary.s3;

import io.tributary.event.ColumnType;
import io.tributary.event.TableSchema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Athena DDL for one table of the event log: an external table over its Parquet files with
 * partition projection on {@code dt} and {@code hr}, a latest-state view and an as-of query.
 *
 * <p>Column types follow {@link ParquetEventLogSchema} exactly. Two choices are Athena's, not ours:
 * smallint is declared {@code int} because the files hold it as plain int32, and {@code time} is
 * declared {@code bigint} (microseconds since midnight) because Athena tables have no time type.
 */
public final class AthenaDdl {
    private final String database;
    private final String location;
    private final LocalDate projectionStart;

    /**
     * @param database the Athena database
     * @param location the log's base path, e.g. {@code s3://bucket/prefix}
     * @param projectionStart the first {@code dt} partition projection enumerates
     */
    public AthenaDdl(String database, String location, LocalDate projectionStart) {
        this.database = database;
        this.location = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        this.projectionStart = projectionStart;
    }

    /** The Athena table name of a captured table: {@code <schema>_<table>}, lower case. */
    public static String tableName(TableSchema table) {
        String raw = table.table().schema() + "_" + table.table().table();
        StringBuilder s = new StringBuilder();
        for (char c : raw.toLowerCase(Locale.ROOT).toCharArray()) {
            s.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return s.toString();
    }

    public String qualifiedTable(TableSchema table) {
        return EventLogSql.quote(database) + "." + EventLogSql.quote(tableName(table));
    }

    public String createTable(TableSchema table) {
        List<String> names = ParquetEventLogSchema.of(table).fieldNames();
        List<String> row = new ArrayList<>();
        List<String> struct = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            String type = type(table.column(i).type());
            row.add("  `" + names.get(i) + "` " + type);
            struct.add("`" + names.get(i) + "`:" + type);
        }
        List<String> columns = new ArrayList<>(row);
        columns.add("  `op` string");
        columns.add("  `is_snapshot` boolean");
        columns.add("  `commit_ts` timestamp");
        columns.add("  `lsn` bigint");
        columns.add("  `change_lsn` bigint");
        columns.add("  `tx_id` bigint");
        columns.add("  `event_id` string");
        columns.add("  `old_image` struct<" + String.join(",", struct) + ">");
        columns.add("  `unknown_columns` array<string>");
        columns.add("  `special_values` map<string,string>");
        String dir = location + "/" + table.table();
        return "CREATE EXTERNAL TABLE IF NOT EXISTS `" + database + "`.`" + tableName(table) + "` (\n"
                + String.join(",\n", columns) + "\n)\n"
                + "PARTITIONED BY (`dt` string, `hr` string)\n"
                + "STORED AS PARQUET\n"
                + "LOCATION '" + dir + "/'\n"
                + "TBLPROPERTIES (\n"
                + "  'projection.enabled'='true',\n"
                + "  'projection.dt.type'='date',\n"
                + "  'projection.dt.format'='yyyy-MM-dd',\n"
                + "  'projection.dt.range'='" + projectionStart + ",NOW',\n"
                + "  'projection.dt.interval'='1',\n"
                + "  'projection.dt.interval.unit'='DAYS',\n"
                + "  'projection.hr.type'='integer',\n"
                + "  'projection.hr.range'='0,23',\n"
                + "  'projection.hr.digits'='2',\n"
                + "  'storage.location.template'='" + dir + "/dt=${dt}/hr=${hr}/'\n"
                + ")";
    }

    /** A view of every existing row's newest state. */
    public String createLatestView(TableSchema table) {
        return "CREATE OR REPLACE VIEW " + EventLogSql.quote(database) + "."
                + EventLogSql.quote(tableName(table) + "_latest") + " AS\n"
                + EventLogSql.latestState(table, qualifiedTable(table));
    }

    /** Every row's state as of commit time {@code asOf}. */
    public String asOfQuery(TableSchema table, Instant asOf) {
        return EventLogSql.asOf(table, qualifiedTable(table), asOf, EventLogSql.Dialect.ATHENA);
    }

    /** The Athena column type of a source column, matching its Parquet type. */
    public static String type(ColumnType type) {
        switch (type.kind()) {
            case BOOLEAN:
                return "boolean";
            case INT16:
            case INT32:
                return "int";
            case INT64:
            case TIME:
                return "bigint";
            case FLOAT32:
                return "float";
            case FLOAT64:
                return "double";
            case DECIMAL:
                return ParquetEventLogSchema.decimalAsString(type)
                        ? "string"
                        : "decimal(" + type.precision() + "," + type.scale() + ")";
            case DATE:
                return "date";
            case TIMESTAMP:
            case TIMESTAMPTZ:
                return "timestamp";
            case BYTES:
                return "binary";
            case ARRAY:
                return "array<" + type(type.element()) + ">";
            default:
                return "string";
        }
    }
}
