package io.tributary.postgres;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.serde.ChangeEventTypeInfo;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Debezium {@link SourceRecord}s from the Flink CDC PostgreSQL source straight into
 * {@link ChangeEvent}s, without a JSON round trip.
 *
 * <p>What Flink CDC 3.5.0 / Debezium 1.9.8 (pgoutput) put into a record, as observed in
 * {@code PostgresSourceITCase}:
 * <ul>
 *   <li>Streamed change: source struct {@code lsn} and offset {@code lsn} = the WAL position of the change
 *   itself; offset {@code lsn_commit} = the end LSN of the last COMMIT the stream received <em>before</em>
 *   this change, i.e. the previous transaction's commit, not this one's; the same for every change of a
 *   transaction; absent until the stream has passed a commit; it can be below or above the change's own
 *   LSN. {@code txId}, {@code ts_usec} (offset) and {@code ts_ms} (source) are the transaction id and its
 *   commit time.</li>
 *   <li>Snapshot row read by a chunk query: {@code op=r}, source and offset {@code lsn = 0}, no
 *   {@code lsn_commit} or {@code txId}; source {@code ts_ms = 0}; offset {@code ts_usec} = the time the
 *   chunk was read.</li>
 *   <li>Snapshot row merged from the backfill (changed between the chunk's low and high watermark): Flink CDC
 *   rewrites the change to {@code op=r} but keeps the source struct of the streamed change, so it carries
 *   that change's LSN, which is at most the chunk's high watermark.</li>
 * </ul>
 *
 * <p><b>Position.</b> A snapshot row gets {@code commitLsn =} its chunk's low watermark, the WAL position
 * ({@code pg_current_wal_lsn()}) Flink CDC read just before the chunk's SELECT, which
 * {@link PostgresChunkPositionEmitter} puts into the record's offset, and {@code changeLsn = 0}. (Without it, as
 * in a record built by hand, the LSN the record carries: 0, or the backfilled change's LSN.) Every change committed
 * before the SELECT has a lower position (a position is below its transaction's commit, see below, and that commit
 * is below the watermark), and every streamed change Flink CDC emits for a key of the chunk has a change LSN above
 * the chunk's high watermark, so a higher position. A second snapshot into existing destinations (a re-baseline)
 * therefore supersedes older state in the sequencer, DynamoDB's version fence and the latest-state SQL.
 * Positions compare only within one PostgreSQL cluster's WAL. A streamed change {@code c} of transaction {@code T} gets
 * {@code changeLsn =} its own LSN {@code L} and {@code commitLsn = max(lsn_commit, L)} (unsigned; an absent
 * {@code lsn_commit} counts as 0). Why:
 * <ul>
 *   <li>PostgreSQL streams transactions in commit order, and a row's true history is that order. The change
 *   LSN alone is not: a session can write its tuple for key K, wait on the unique index for another
 *   transaction that then deletes K and commits first, and commit afterwards with the lower LSN
 *   ({@code ConcurrentTransactionsOrderITCase}).</li>
 *   <li>The commit of {@code T} itself is not in the record (Debezium 1.9 reads the final LSN of pgoutput's
 *   BEGIN and drops it), but {@code lsn_commit} is the end LSN of the COMMIT of the transaction the stream
 *   passed just before {@code T}, {@code P}. So {@code P.commit <= max(lsn_commit, L) < T.commit}: the value
 *   lies in {@code [P.commit, T.commit)}. For a transaction {@code U} after {@code T} in the stream,
 *   {@code lsn_commit(U) >= T.commit}, so every position of {@code U} is above every position of
 *   {@code T}; within {@code T} the change LSN grows. Hence per row, positions grow in stream order.</li>
 *   <li>{@code lsn_commit} is absent only for the first transaction after the stream first starts (after the
 *   snapshot, or from the slot without one), until the stream passes a COMMIT; there is no earlier
 *   streamed change to compare with, and {@code L} is still below its commit. Restored source offsets keep
 *   the absence: an offset without {@code lsn_commit} belongs to a record sent before any COMMIT of its
 *   run.</li>
 *   <li>Replays keep their position, so their event id. Flink CDC keeps the full Debezium offset of the last
 *   record (data or heartbeat) in the stream split ({@code IncrementalSourceRecordEmitter},
 *   {@code PostgresOffset}), and on restore {@code PostgresOffsetContext.Loader} restores {@code lsn_commit}.
 *   With it, Debezium's {@code WalPositionLocator} skips every data message up to the stored one and
 *   re-processes the COMMITs before it, so the first change it lets through carries the same
 *   {@code lsn_commit} as the first time, and so does every later one. Without it (first transaction),
 *   nothing is skipped and the re-sent changes again have no {@code lsn_commit}: {@code max(0, L) = L}.</li>
 *   <li>Snapshot rows stay below: the incremental source emits a streamed change of a chunk's key only
 *   above the chunk's high watermark, and {@code max(lsn_commit, L) >= L >} that watermark {@code >=} the
 *   chunk's low watermark, the snapshot row's position.</li>
 *   <li>Positions written before this rule ({@code commitLsn = changeLsn = L}, in the sequencer's state, the
 *   event log and DynamoDB versions) compare correctly after an upgrade: the new first component is never
 *   below {@code L}, and for a row last changed by {@code s} in {@code S}, a later change {@code e} either is
 *   in {@code S} ({@code L_e > L_s}) or in a later transaction ({@code lsn_commit >= S.commit > L_s}); both
 *   are above {@code (L_s, L_s)}. Changes the old version already emitted are not re-sent with a new
 *   position: with {@code lsn_commit} in the savepoint they are skipped, without it they get {@code L} again.</li>
 * </ul>
 * The commit time is {@code ts_usec} (microseconds), else {@code ts_ms}.
 *
 * <p>TableSchemas are cached per Connect schema object (identity), so a record does not rebuild one; after
 * ALTER TABLE Debezium builds a new Connect schema, which yields a new TableSchema and fingerprint.
 * Tombstones and non-data records (heartbeats, watermarks, schema changes) are skipped.
 *
 * <p>Snapshot baseline: the first row of a table's first chunk comes with a TRUNCATE flagged as snapshot before it
 * ({@link #baselineTruncate}), so that a re-baseline removes the rows deleted while nothing was captured.
 *
 * <p>TRUNCATE ({@code op=t}, needs {@code truncate.handling.mode=include}, see {@link PostgresSources}): Debezium
 * 1.9 emits one record per truncated table (so {@code TRUNCATE a, b} and a CASCADE give one each, all at the LSN
 * of the one pgoutput message), with the table's envelope schema but no key, no key schema and no images. It
 * becomes an {@link Op#TRUNCATE} event with the table's last known schema; if no row of the table was seen yet
 * (first record after a restart), the schema is built from the envelope with the key columns the preflight
 * found, so the event log does not start a new file for a key-less schema.
 */
public final class PostgresChangeDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeDeserializer.class);
    /** Bounds the cache should schemas be rebuilt often; a miss only costs one TableSchema. */
    private static final int MAX_CACHED_SCHEMAS = 4096;
    /** Debezium's offset key for the end LSN of the last COMMIT the stream passed (PostgresOffsetContext). */
    static final String LAST_COMMIT_LSN = "lsn_commit";

    private final HashMap<TableId, List<String>> keyColumns;
    private final HashMap<TableId, List<String>> tableKeys;
    private final String toastPlaceholder;
    private transient PostgresTypeMapper mapper;
    private transient Map<Schema, Binding> bindings;

    /** A deserializer that takes key columns from the record key, except for the tables in {@code keyColumns}. */
    public PostgresChangeDeserializer(Map<TableId, List<String>> keyColumns) {
        this(keyColumns, PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER);
    }

    public PostgresChangeDeserializer(Map<TableId, List<String>> keyColumns, String toastPlaceholder) {
        this(keyColumns, Map.of(), toastPlaceholder);
    }

    /**
     * @param tableKeys every captured table's key columns, for a TRUNCATE that arrives before any row of its
     *     table (its record carries no key schema)
     */
    public PostgresChangeDeserializer(
            Map<TableId, List<String>> keyColumns, Map<TableId, List<String>> tableKeys, String toastPlaceholder) {
        this.keyColumns = new HashMap<>();
        keyColumns.forEach((t, cols) -> this.keyColumns.put(t, new ArrayList<>(cols)));
        this.tableKeys = new HashMap<>();
        tableKeys.forEach((t, cols) -> this.tableKeys.put(t, new ArrayList<>(cols)));
        this.toastPlaceholder = toastPlaceholder;
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
        ChangeEvent event = toChangeEvent(record);
        if (event != null) {
            ChangeEvent baseline = baselineTruncate(record.sourceOffset(), event);
            if (baseline != null) {
                LOG.info(
                        "Snapshot baseline of {} at {}: every row of it older than this snapshot is gone",
                        event.table(),
                        ChangeEvent.formatLsn(baseline.commitLsn()));
                out.collect(baseline);
            }
            out.collect(event);
        }
    }

    /**
     * The snapshot's baseline TRUNCATE of {@code row}'s table at {@code (baseline - 1, 0)}, when the emitter marked
     * {@code row} as the first of its table's first chunk ({@link PostgresChunkPositionEmitter}); else null. Its
     * position is below every snapshot row ({@code (chunk low watermark >= baseline, 0)}) and above every change
     * committed before the baseline (a change's position is at least one WAL record below its commit).
     */
    static ChangeEvent baselineTruncate(Map<String, ?> offset, ChangeEvent row) {
        Object baseline = offset == null ? null : offset.get(PostgresChunkPositionEmitter.BASELINE_LSN);
        if (!(baseline instanceof Number) || !row.snapshot()) {
            return null;
        }
        return ChangeEvent.builder()
                .schema(row.schema())
                .op(Op.TRUNCATE)
                .commitLsn(((Number) baseline).longValue() - 1)
                .changeLsn(0L)
                .commitTimeMicros(row.commitTimeMicros())
                .snapshot(true)
                .build();
    }

    /** The event a record stands for, or null for records that carry no row change. */
    public ChangeEvent toChangeEvent(SourceRecord record) {
        if (!(record.value() instanceof Struct)) {
            return null; // tombstone
        }
        Struct value = (Struct) record.value();
        Schema valueSchema = value.schema();
        if (valueSchema.field("op") == null
                || valueSchema.field("source") == null
                || valueSchema.field("after") == null) {
            return null; // heartbeat, watermark or schema change event
        }
        String opCode = value.getString("op");
        Op op;
        switch (opCode == null ? "" : opCode) {
            case "c":
            case "r":
                op = Op.INSERT;
                break;
            case "u":
                op = Op.UPDATE;
                break;
            case "d":
                op = Op.DELETE;
                break;
            case "t":
                return truncate(record, value, valueSchema);
            default:
                return null; // logical decoding message
        }
        boolean snapshot = "r".equals(opCode);
        Struct source = value.getStruct("source");
        TableId table = new TableId(source.getString("schema"), source.getString("table"));
        Binding binding = binding(table, valueSchema.field("after").schema(), record.keySchema());
        Row before = binding.row(value.getStruct("before"));
        Row after = binding.row(value.getStruct("after"));
        if ((op == Op.DELETE && before == null) || (op != Op.DELETE && after == null)) {
            LOG.warn("Skipping {} on {} without the row image it needs (REPLICA IDENTITY NOTHING?)", op, table);
            return null;
        }
        long lsn = positionLsn(record, source);
        return ChangeEvent.builder()
                .schema(binding.schema)
                .op(op)
                .before(before)
                .after(after)
                .commitLsn(
                        snapshot
                                ? snapshotPosition(record.sourceOffset(), lsn)
                                : transactionPosition(record.sourceOffset(), lsn))
                .changeLsn(snapshot ? 0L : lsn)
                .txId(longOf(source, record.sourceOffset(), "txId", "txId"))
                .commitTimeMicros(commitMicros(record, source))
                .snapshot(snapshot)
                .build();
    }

    private ChangeEvent truncate(SourceRecord record, Struct value, Schema valueSchema) {
        Struct source = value.getStruct("source");
        TableId table = new TableId(source.getString("schema"), source.getString("table"));
        Schema rowSchema = valueSchema.field("after").schema();
        if (bindings == null || !bindings.containsKey(rowSchema)) {
            binding(table, rowSchema, null);
        }
        long lsn = positionLsn(record, source);
        ChangeEvent event = ChangeEvent.builder()
                .schema(bindings.get(rowSchema).schema)
                .op(Op.TRUNCATE)
                .commitLsn(lsn)
                .changeLsn(lsn)
                .txId(longOf(source, record.sourceOffset(), "txId", "txId"))
                .commitTimeMicros(commitMicros(record, source))
                .build();
        LOG.info(
                "TRUNCATE of {} at {} (transaction {}): every row of it committed before is gone",
                table,
                ChangeEvent.formatLsn(lsn),
                event.txId());
        return event;
    }

    private static long positionLsn(SourceRecord record, Struct source) {
        Long lsn = source.schema().field("lsn") == null ? null : source.getInt64("lsn");
        if (lsn == null) {
            Object o =
                    record.sourceOffset() == null ? null : record.sourceOffset().get("lsn");
            lsn = o instanceof Number ? ((Number) o).longValue() : null;
        }
        return lsn == null ? 0L : lsn;
    }

    /** A snapshot row's position: its chunk's low watermark when the emitter supplied one, else its own LSN. */
    static long snapshotPosition(Map<String, ?> offset, long ownLsn) {
        Object chunk = offset == null ? null : offset.get(PostgresChunkPositionEmitter.CHUNK_LSN);
        return chunk instanceof Number ? ((Number) chunk).longValue() : ownLsn;
    }

    /**
     * The first part of a streamed change's position: the greater (unsigned) of the previous transaction's
     * commit ({@code lsn_commit}, 0 if absent) and the change's own LSN; see the class comment.
     */
    static long transactionPosition(Map<String, ?> offset, long changeLsn) {
        Object previous = offset == null ? null : offset.get(LAST_COMMIT_LSN);
        long previousCommit = previous instanceof Number ? ((Number) previous).longValue() : 0L;
        return Long.compareUnsigned(previousCommit, changeLsn) > 0 ? previousCommit : changeLsn;
    }

    private static long commitMicros(SourceRecord record, Struct source) {
        Object usec =
                record.sourceOffset() == null ? null : record.sourceOffset().get("ts_usec");
        if (usec instanceof Number) {
            return ((Number) usec).longValue();
        }
        Long ms = source.schema().field("ts_ms") == null ? null : source.getInt64("ts_ms");
        return ms == null ? 0L : ms * 1000L;
    }

    private static long longOf(Struct source, Map<String, ?> offset, String field, String offsetKey) {
        if (source.schema().field(field) != null && source.get(field) instanceof Number) {
            return ((Number) source.get(field)).longValue();
        }
        Object o = offset == null ? null : offset.get(offsetKey);
        return o instanceof Number ? ((Number) o).longValue() : 0L;
    }

    private Binding binding(TableId table, Schema rowSchema, Schema keySchema) {
        if (bindings == null) {
            bindings = new IdentityHashMap<>();
            mapper = new PostgresTypeMapper(toastPlaceholder);
        }
        Binding b = bindings.get(rowSchema);
        if (b == null || b.keySchema != keySchema) {
            if (bindings.size() >= MAX_CACHED_SCHEMAS) {
                bindings.clear();
            }
            b = new Binding(table, rowSchema, keySchema, keysFor(table, keySchema), mapper);
            bindings.put(rowSchema, b);
        }
        return b;
    }

    private List<String> keysFor(TableId table, Schema keySchema) {
        List<String> configured = keyColumns.get(table);
        if (configured != null) {
            return configured;
        }
        if (keySchema == null && tableKeys.containsKey(table)) {
            return tableKeys.get(table); // a TRUNCATE: its record has no key schema
        }
        List<String> keys = new ArrayList<>();
        if (keySchema != null && keySchema.type() == Schema.Type.STRUCT) {
            for (Field f : keySchema.fields()) {
                keys.add(f.name());
            }
        }
        return keys;
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }

    /** A Connect row schema bound to the TableSchema built from it. */
    private static final class Binding {
        final TableSchema schema;
        final Schema keySchema;
        final Field[] fields;
        final ColumnType[] types;
        final PostgresTypeMapper mapper;

        Binding(TableId table, Schema rowSchema, Schema keySchema, List<String> keys, PostgresTypeMapper mapper) {
            this.keySchema = keySchema;
            this.mapper = mapper;
            List<Field> fieldList = rowSchema.fields();
            this.fields = fieldList.toArray(new Field[0]);
            this.types = new ColumnType[fields.length];
            List<Column> columns = new ArrayList<>(fields.length);
            for (int i = 0; i < fields.length; i++) {
                types[i] = mapper.columnType(fields[i].schema());
                columns.add(new Column(
                        fields[i].name(), types[i], fields[i].schema().isOptional()));
            }
            this.schema = new TableSchema(table, columns, keys);
        }

        Row row(Struct struct) {
            if (struct == null) {
                return null;
            }
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                values[i] = mapper.value(fields[i].schema(), types[i], struct.get(fields[i]));
            }
            return Row.wrap(values);
        }
    }
}
