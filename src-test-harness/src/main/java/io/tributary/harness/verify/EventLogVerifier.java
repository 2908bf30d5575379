package io.tributary.harness.verify;

import io.tributary.event.Column;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.s3.EventLogCatalog;
import io.tributary.s3.EventLogSql;
import io.tributary.s3.ParquetEventLogSchema;

import org.postgresql.util.PGobject;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a local event log against the database it came from: counts, duplicate event ids, the
 * per-row chain of images, and the latest state per key.
 */
public final class EventLogVerifier implements AutoCloseable {
    private final Path log;
    private final EventLogDuckDb duck;

    private EventLogVerifier(Path log, EventLogDuckDb duck) {
        this.log = log;
        this.duck = duck;
    }

    public static EventLogVerifier open(Path log) throws SQLException {
        return new EventLogVerifier(log, EventLogDuckDb.open(log));
    }

    /** The newest schema of each table in the log, read from the Parquet footers. */
    public Map<TableId, TableSchema> schemas() throws IOException {
        Map<TableId, TableSchema> schemas = new TreeMap<>();
        if (!log.toFile().isDirectory()) {
            return schemas;
        }
        for (EventLogCatalog.Table t : EventLogCatalog.read(log.toUri().toString())) {
            schemas.put(t.schema().table(), t.schema());
        }
        return schemas;
    }

    private boolean hasFiles(TableId table) {
        File dir = log.resolve(table.toString()).toFile();
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            return dir.isDirectory() && files.anyMatch(p -> p.toString().endsWith(".parquet"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Committed events of a table, per op code (I/U/D/T), "snapshot", and "baseline" (the TRUNCATE flagged as snapshot
     * that each snapshot emits before its rows; {@link #total} leaves it out, it is no row or change).
     */
    public static final String BASELINE = "baseline";

    public Map<String, Long> counts(TableId table) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        if (!hasFiles(table)) {
            return counts;
        }
        for (Map<String, Object> row : duck.query("SELECT CASE WHEN op = 'T' AND is_snapshot THEN '" + BASELINE + "'"
                + " WHEN is_snapshot THEN 'snapshot' ELSE op END AS k, "
                + "count(*) AS n FROM " + duck.relation(table) + " GROUP BY 1")) {
            counts.put((String) row.get("k"), ((Number) row.get("n")).longValue());
        }
        return counts;
    }

    /** Rows and changes of a table: every committed event but snapshot baselines. */
    public long total(TableId table) throws SQLException {
        return counts(table).entrySet().stream()
                .filter(e -> !e.getKey().equals(BASELINE))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** How many snapshot baselines (TRUNCATE flagged as snapshot) a table's log holds. */
    public long baselines(TableId table) throws SQLException {
        return counts(table).getOrDefault(BASELINE, 0L);
    }

    /** Event ids that appear more than once (should be none: exactly once). */
    public List<String> duplicateEventIds(TableId table) throws SQLException {
        return duck
                .query("SELECT event_id FROM " + duck.relation(table)
                        + " GROUP BY event_id HAVING count(*) > 1 LIMIT 20")
                .stream()
                .map(r -> (String) r.get("event_id"))
                .collect(Collectors.toList());
    }

    /**
     * Events that break the per-row chain, in (lsn, change_lsn) order per key: an INSERT must come
     * first or after a DELETE; an UPDATE or DELETE's old image must equal the previous event's new
     * image; a DELETE's row columns must equal its old image. A TRUNCATE (op T) ends every row's chain:
     * the next event of a key after one starts a new chain. Empty when history is whole and ordered.
     */
    public List<Map<String, Object>> chainViolations(TableSchema schema) throws SQLException {
        List<String> fields = ParquetEventLogSchema.of(schema).fieldNames();
        String image = "struct_pack("
                + fields.stream()
                        .map(f -> EventLogSql.quote(f) + " := " + EventLogSql.quote(f))
                        .collect(Collectors.joining(", "))
                + ")";
        List<String> keys = new ArrayList<>();
        for (int i : schema.keyIndexes()) {
            keys.add(EventLogSql.quote(fields.get(i)));
        }
        String relation = duck.relation(schema.table());
        String sql = "WITH t AS (SELECT lsn AS t_lsn, change_lsn AS t_change_lsn FROM " + relation
                + " WHERE op = 'T'),\n"
                + "e AS (SELECT *, " + image + " AS img, (SELECT count(*) FROM t WHERE t_lsn < lsn"
                + " OR (t_lsn = lsn AND t_change_lsn < change_lsn)) AS epoch FROM " + relation + " WHERE op <> 'T'),\n"
                + "l AS (SELECT event_id, op, old_image, img, lsn, change_lsn, " + String.join(", ", keys) + ",\n"
                + "  LAG(op) OVER w AS prev_op, LAG(img) OVER w AS prev_img FROM e\n"
                + "  WINDOW w AS (PARTITION BY epoch, " + String.join(", ", keys) + " ORDER BY lsn, change_lsn))\n"
                + "SELECT event_id, op, prev_op, lsn, change_lsn, " + String.join(", ", keys) + " FROM l WHERE\n"
                + "  (op = 'I' AND prev_op IS NOT NULL AND prev_op <> 'D')\n"
                + "  OR (op = 'I' AND old_image IS NOT NULL)\n"
                + "  OR (op IN ('U', 'D') AND (prev_op IS NULL OR prev_op = 'D' OR old_image IS DISTINCT FROM prev_img))\n"
                + "  OR (op = 'D' AND img IS DISTINCT FROM old_image)\n"
                + "ORDER BY lsn, change_lsn LIMIT 20";
        return duck.query(sql);
    }

    /**
     * The latest state per key from the log, each value in {@link CanonicalValues} form; a value its
     * typed column cannot hold is the text {@code special_values} gives for it (docs/formats).
     */
    public Map<List<String>, Map<String, String>> latestState(TableSchema schema) throws SQLException {
        List<String> fields = ParquetEventLogSchema.of(schema).fieldNames();
        Map<List<String>, Map<String, String>> rows = new LinkedHashMap<>();
        String sql = "SELECT *, map_keys(" + ParquetEventLogSchema.SPECIAL_VALUES + ") AS tributary_sk, map_values("
                + ParquetEventLogSchema.SPECIAL_VALUES + ") AS tributary_sv FROM (\n"
                + EventLogSql.latestState(schema, duck.relation(schema.table())) + "\n) AS latest";
        for (Map<String, Object> row : duck.query(sql)) {
            Map<String, String> special = specialValues(row.get("tributary_sk"), row.get("tributary_sv"));
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < schema.size(); i++) {
                Object v = row.get(fields.get(i));
                values.put(
                        schema.column(i).name(),
                        v == null && special.containsKey(fields.get(i))
                                ? special.get(fields.get(i))
                                : CanonicalValues.of(v, schema.column(i).type()));
            }
            rows.put(key(schema, values), values);
        }
        return rows;
    }

    private static Map<String, String> specialValues(Object keys, Object values) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (keys == null) {
            return out;
        }
        List<?> k = keys instanceof Array ? List.of((Object[]) ((Array) keys).getArray()) : (List<?>) keys;
        List<?> v = values instanceof Array ? List.of((Object[]) ((Array) values).getArray()) : (List<?>) values;
        for (int i = 0; i < k.size(); i++) {
            out.put(k.get(i).toString(), v.get(i).toString());
        }
        return out;
    }

    /** PostgreSQL's spellings of the values {@code SpecialValue} stands for. */
    private static final Set<String> SPECIAL_SPELLINGS =
            Set.of("NaN", "Infinity", "-Infinity", "infinity", "-infinity", "24:00:00");

    /** The table's current rows in the database, in the same form, for the columns of {@code schema}. */
    public static Map<List<String>, Map<String, String>> databaseState(Connection c, TableSchema schema)
            throws SQLException {
        // each column, then its text: PostgreSQL's spelling of a value a Java class cannot hold is compared as is
        String columns = schema.columns().stream()
                .map(col -> EventLogSql.quote(col.name()) + ", " + EventLogSql.quote(col.name()) + "::text")
                .collect(Collectors.joining(", "));
        Map<List<String>, Map<String, String>> rows = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + columns + " FROM "
                        + EventLogSql.quote(schema.table().schema()) + "."
                        + EventLogSql.quote(schema.table().table()))) {
            while (rs.next()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < schema.size(); i++) {
                    Column col = schema.column(i);
                    int at = 2 * i + 1;
                    String text = rs.getString(at + 1);
                    if (text != null
                            && SPECIAL_SPELLINGS.contains(text)
                            && col.type().kind() != ValueKind.FLOAT32
                            && col.type().kind() != ValueKind.FLOAT64
                            && col.type().kind() != ValueKind.STRING) {
                        values.put(col.name(), text);
                        continue;
                    }
                    Object v = col.type().kind() == ValueKind.TIMESTAMPTZ
                            ? rs.getObject(at, OffsetDateTime.class)
                            : col.type().kind() == ValueKind.TIMESTAMP
                                    ? rs.getObject(at, LocalDateTime.class)
                                    // java.sql.Time holds milliseconds; time has microseconds
                                    : col.type().kind() == ValueKind.TIME
                                                    && !col.type().sourceType().contains("tz")
                                            ? rs.getObject(at, LocalTime.class)
                                            // java.sql.Date shifts BC and pre-1582 dates by the Julian calendar
                                            : col.type().kind() == ValueKind.DATE
                                                    ? rs.getObject(at, LocalDate.class)
                                                    : rs.getObject(at);
                    if (v instanceof PGobject) {
                        v = ((PGobject) v).getValue();
                    }
                    values.put(col.name(), CanonicalValues.of(v, col.type()));
                }
                rows.put(key(schema, values), values);
            }
        }
        return rows;
    }

    private static List<String> key(TableSchema schema, Map<String, String> values) {
        return schema.keyColumns().stream().map(values::get).collect(Collectors.toList());
    }

    /** Rows that differ between two states, described for an assertion message; empty if equal. */
    public static List<String> differences(
            Map<List<String>, Map<String, String>> expected, Map<List<String>, Map<String, String>> actual, int limit) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<List<String>, Map<String, String>> e : expected.entrySet()) {
            Map<String, String> a = actual.get(e.getKey());
            if (a == null) {
                out.add("missing in log: key " + e.getKey());
            } else if (!a.equals(e.getValue())) {
                Map<String, String> diff = new TreeMap<>();
                e.getValue().forEach((k, v) -> {
                    if (!Objects.equals(v, a.get(k))) {
                        diff.put(k, "db=" + abbreviate(v) + " log=" + abbreviate(a.get(k)));
                    }
                });
                out.add("differs: key " + e.getKey() + " " + diff);
            }
            if (out.size() >= limit) {
                return out;
            }
        }
        for (List<String> k : actual.keySet()) {
            if (!expected.containsKey(k)) {
                out.add("in log but not in database: key " + k);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 60 ? s : s.substring(0, 57) + "…";
    }

    @Override
    public void close() throws SQLException {
        duck.close();
    }
}
