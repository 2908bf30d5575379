package io.tributary.harness.adversarial;

import io.tributary.event.Op;
import io.tributary.event.TableSchema;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.s3.EventLogSql;
import io.tributary.s3.ParquetEventLogSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A table's events in the event log as {@link ChangeFact}s, read with DuckDB in the log's own
 * order ({@code lsn, change_lsn}), streamed changes and snapshot rows apart.
 */
public final class EventLogFacts {
    private final List<ChangeFact> streamed = new ArrayList<>();
    private final List<ChangeFact> snapshot = new ArrayList<>();
    private final Map<String, ChangeFact> byEventId = new HashMap<>();

    private EventLogFacts() {}

    /** Facts gathered from several tables. */
    public static EventLogFacts of(List<ChangeFact> streamed, List<ChangeFact> snapshot) {
        EventLogFacts out = new EventLogFacts();
        out.streamed.addAll(streamed);
        out.snapshot.addAll(snapshot);
        return out;
    }

    public static EventLogFacts read(EventLogDuckDb duck, Path log, TableSchema schema) throws SQLException {
        EventLogFacts out = new EventLogFacts();
        if (!hasFiles(log.resolve(schema.table().toString()))) {
            return out;
        }
        List<String> fields = ParquetEventLogSchema.of(schema).fieldNames();
        List<String> keys = new ArrayList<>();
        for (int i : schema.keyIndexes()) {
            keys.add(EventLogSql.quote(fields.get(i)));
        }
        String sql = "SELECT op, tx_id, event_id, lsn, change_lsn, is_snapshot, " + String.join(", ", keys) + " FROM "
                + duck.relation(schema.table()) + " ORDER BY lsn, change_lsn";
        for (Map<String, Object> row : duck.query(sql)) {
            Op op = op((String) row.get(ParquetEventLogSchema.OP));
            if (op == Op.TRUNCATE && Boolean.TRUE.equals(row.get(ParquetEventLogSchema.IS_SNAPSHOT))) {
                continue; // a snapshot's baseline, no statement of the workload
            }
            List<String> key = new ArrayList<>();
            if (op != Op.TRUNCATE) {
                for (int i : schema.keyIndexes()) {
                    Object v = row.get(fields.get(i));
                    key.add(v == null ? null : v.toString());
                }
            }
            String id = (String) row.get(ParquetEventLogSchema.EVENT_ID);
            ChangeFact f = new ChangeFact(
                    schema.table(),
                    key,
                    op,
                    ((Number) row.get(ParquetEventLogSchema.TX_ID)).longValue(),
                    "log event " + id + " lsn " + row.get("lsn") + "/" + row.get("change_lsn"));
            (Boolean.TRUE.equals(row.get(ParquetEventLogSchema.IS_SNAPSHOT)) ? out.snapshot : out.streamed).add(f);
            out.byEventId.put(id, f);
        }
        return out;
    }

    /** Streamed changes in log order. */
    public List<ChangeFact> streamed() {
        return streamed;
    }

    public List<ChangeFact> snapshot() {
        return snapshot;
    }

    /** The log's event with this id, or null. */
    public ChangeFact event(String eventId) {
        return byEventId.get(eventId);
    }

    private static Op op(String code) {
        for (Op op : Op.values()) {
            if (op.code().equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("event log op '" + code + "' is none of I, U, D, T");
    }

    private static boolean hasFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".parquet"));
        } catch (IOException e) {
            return false;
        }
    }
}
