package io.tributary.postgres;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.cdc.connectors.base.source.meta.offset.OffsetFactory;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitState;
import org.apache.flink.cdc.connectors.base.source.meta.wartermark.WatermarkEvent;
import org.apache.flink.cdc.connectors.base.source.metrics.SourceReaderMetrics;
import org.apache.flink.cdc.connectors.base.source.reader.IncrementalSourceRecordEmitter;
import org.apache.flink.cdc.connectors.base.utils.SourceRecordUtils;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Flink CDC's record emitter, plus one fact it drops: the WAL position at which a snapshot chunk was read.
 *
 * <p>Flink CDC 3.5 hands a snapshot split's records to the emitter as one batch, {@code [low watermark, rows…,
 * high watermark]} ({@code IncrementalSourceScanFetcher.pollWithBuffer}); the low watermark is
 * {@code pg_current_wal_lsn()} read just before the chunk's SELECT, the rows are that SELECT's result with the
 * changes up to the high watermark merged in (backfill). The emitter passes only the rows to the deserializer, so
 * this subclass copies the low watermark's LSN into each row's source offset under {@link #CHUNK_LSN}, where
 * {@link PostgresChangeDeserializer} reads it as the row's position.
 *
 * <p><b>Baseline.</b> A snapshot cannot emit a delete for a row it does not see, so a re-baseline into existing
 * destinations must also say "every row of this table older than this snapshot is gone". With the first row of a
 * table's first chunk (the chunk with no lower bound, read once per snapshot) the emitter also marks the record
 * with {@link #BASELINE_LSN}, and the deserializer emits a TRUNCATE flagged as snapshot at position
 * {@code (baseline - 1, 0)} before the row. {@code baseline} is a WAL position read when the job was built
 * ({@link PostgresSnapshotBaseline}): above every change committed before the snapshot, at or below every chunk's low
 * watermark, so the TRUNCATE machinery (sequencer fan-out, DynamoDB's {@code #v < :v} scan, the latest-state SQL)
 * removes exactly the rows older than the snapshot, in whatever order the TRUNCATE and the snapshot rows arrive.
 * A table whose first chunk is empty (an empty table) gets no marker: see docs/RUNBOOK.md, re-baseline.
 *
 * <p>The whole batch is emitted in one {@code emitRecord} call, so a checkpoint never falls inside a chunk: a chunk
 * either is in the checkpoint with the position it was emitted with, or is read again (new low watermark, new
 * position, and none of its first reading's rows in the restored event log).
 */
final class PostgresChunkPositionEmitter<T> extends IncrementalSourceRecordEmitter<T> {
    /** Source offset key under which a snapshot row carries its chunk's low watermark LSN. */
    static final String CHUNK_LSN = "tributary_chunk_lsn";
    /** Source offset key on the first row of a table's first chunk: the snapshot's baseline LSN. */
    static final String BASELINE_LSN = "tributary_baseline_lsn";

    private final long baselineLsn;
    private Long chunkLsn;
    private boolean baselinePending;

    /** @param baselineLsn the snapshot's baseline (see {@link PostgresSnapshotBaseline}); 0 emits no baseline */
    PostgresChunkPositionEmitter(
            DebeziumDeserializationSchema<T> deserializer,
            SourceReaderMetrics metrics,
            boolean includeSchemaChanges,
            OffsetFactory offsetFactory,
            long baselineLsn) {
        super(deserializer, metrics, includeSchemaChanges, offsetFactory);
        this.baselineLsn = baselineLsn;
    }

    @Override
    protected void processElement(SourceRecord element, SourceOutput<T> output, SourceSplitState splitState)
            throws Exception {
        if (!splitState.isSnapshotSplitState()) {
            chunkLsn = null;
        } else if (WatermarkEvent.isLowWatermarkEvent(element)) {
            chunkLsn = lsnOf(element.sourceOffset());
            baselinePending = baselineLsn != 0
                    && splitState.asSnapshotSplitState().toSourceSplit().getSplitStart() == null;
        } else if (WatermarkEvent.isHighWatermarkEvent(element)) {
            super.processElement(element, output, splitState);
            chunkLsn = null;
            baselinePending = false;
            return;
        } else if (chunkLsn != null && SourceRecordUtils.isDataChangeRecord(element)) {
            element = withOffsets(element, chunkLsn, baselinePending ? baselineLsn : null);
            baselinePending = false;
        }
        super.processElement(element, output, splitState);
    }

    static SourceRecord withOffsets(SourceRecord record, long lsn, Long baseline) {
        Map<String, Object> offset = new HashMap<>();
        if (record.sourceOffset() != null) {
            offset.putAll(record.sourceOffset());
        }
        offset.put(CHUNK_LSN, lsn);
        if (baseline != null) {
            offset.put(BASELINE_LSN, baseline);
        }
        return new SourceRecord(
                record.sourcePartition(),
                offset,
                record.topic(),
                record.kafkaPartition(),
                record.keySchema(),
                record.key(),
                record.valueSchema(),
                record.value(),
                record.timestamp(),
                record.headers());
    }

    /** The {@code lsn} of a watermark's offset (Flink CDC's PostgresOffset keeps it as a decimal string). */
    static Long lsnOf(Map<String, ?> offset) {
        Object lsn = offset == null ? null : offset.get("lsn");
        if (lsn instanceof Number) {
            return ((Number) lsn).longValue();
        }
        if (lsn instanceof String && !((String) lsn).isEmpty()) {
            return Long.parseLong((String) lsn);
        }
        return null;
    }
}
