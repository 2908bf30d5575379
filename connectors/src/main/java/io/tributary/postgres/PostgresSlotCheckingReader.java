package io.tributary.postgres;

import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitSerializer;
import org.apache.flink.cdc.connectors.base.source.reader.IncrementalSourceReaderContext;
import org.apache.flink.cdc.connectors.postgres.source.PostgresDialect;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfig;
import org.apache.flink.cdc.connectors.postgres.source.reader.PostgresSourceReader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;

import java.util.List;
import java.util.function.Supplier;

/**
 * Flink CDC's reader, which refuses a stream split while the replication slot is missing, or when the slot is
 * confirmed beyond the split's starting position ({@link PostgresSlotRestoreCheck}: PostgreSQL would skip the changes
 * in between).
 *
 * <p>The enumerator check ({@link PostgresSlotRestoreCheck} in {@link PostgresChunkPositionSource#restoreEnumerator})
 * keeps the enumerator from creating a new slot, but the failure it raises there reaches the scheduler through the
 * coordinator's failJob, which Flink 1.20 can drop (observed: the coordinator failed, the job kept running); the
 * readers restore their stream split from their own state and would start streaming anyway, and Debezium would
 * recreate the slot at the end of the WAL. So each reader checks too, before it reads a stream split: the slot always
 * exists by then (the enumerator creates it before assigning any split), unless it was lost. A failure here is a task
 * failure with {@code SuppressRestartsException}, which stops the job.
 *
 * <p>The position check is made for every stream split a reader is given, restored or assigned: a split the restored
 * enumerator assigns (a savepoint taken before the stream split was handed out) starts from positions in the
 * restored state too. A split created on a start without state starts at or above the slot's confirmed position
 * (the slot is created, or read, before the split's position is taken), so it passes. The stream split a reader
 * takes back while an added table is snapshotted ({@code IncrementalSourceReader.onSplitFinished}) and a split whose
 * metadata was completed come through here again and pass: they start where the reader left them, at or above
 * everything confirmed.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class PostgresSlotCheckingReader extends PostgresSourceReader {
    private final PostgresDialect dialect;
    private final String where;

    PostgresSlotCheckingReader(
            FutureCompletingBlockingQueue queue,
            Supplier splitReader,
            RecordEmitter emitter,
            Configuration config,
            IncrementalSourceReaderContext context,
            PostgresSourceConfig sourceConfig,
            SourceSplitSerializer splitSerializer,
            PostgresDialect dialect,
            String where) {
        super(queue, splitReader, emitter, config, context, sourceConfig, splitSerializer, dialect);
        this.dialect = dialect;
        this.where = where;
    }

    @Override
    public void addSplits(List splits) { // raw: PostgresSourceReader extends the raw IncrementalSourceReaderWithCommit
        for (Object split : splits) {
            if (((SourceSplitBase) split).isStreamSplit()) {
                PostgresSlotRestoreCheck.checkStreamSplit(dialect, where, ((SourceSplitBase) split).asStreamSplit());
                break;
            }
        }
        super.addSplits(splits);
    }
}
