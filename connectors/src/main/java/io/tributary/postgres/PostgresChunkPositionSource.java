package io.tributary.postgres;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.cdc.connectors.base.config.JdbcSourceConfig;
import org.apache.flink.cdc.connectors.base.config.SourceConfig;
import org.apache.flink.cdc.connectors.base.source.assigner.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceRecords;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitState;
import org.apache.flink.cdc.connectors.base.source.metrics.SourceReaderMetrics;
import org.apache.flink.cdc.connectors.base.source.reader.IncrementalSourceReaderContext;
import org.apache.flink.cdc.connectors.base.source.reader.IncrementalSourceSplitReader;
import org.apache.flink.cdc.connectors.postgres.source.PostgresDialect;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfig;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfigFactory;
import org.apache.flink.cdc.connectors.postgres.source.enumerator.PostgresSourceEnumerator;
import org.apache.flink.cdc.connectors.postgres.source.offset.PostgresOffsetFactory;
import org.apache.flink.cdc.connectors.postgres.source.reader.PostgresSourceReader;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Flink CDC's PostgreSQL source with three changes: {@link PostgresChunkPositionEmitter} as its record emitter, so
 * snapshot rows learn the WAL position their chunk was read at (and each table's first chunk brings the snapshot's
 * baseline); a restored enumerator and every reader given a stream split first check that the replication slot
 * exists ({@link PostgresSlotRestoreCheck}). Enumerator, reader, split state and their serializers are otherwise
 * Flink CDC's, so savepoints of the plain source restore into this one and back. {@link #createReader} repeats
 * {@code PostgresIncrementalSource.createReader} (Flink CDC 3.5) with the checking reader.
 *
 * <p>Built from a configured {@link PostgresSourceBuilder} ({@code getConfigFactory()}), with
 * {@link PostgresChunkDialect} as its dialect so that tables keyed by configuration are read as one chunk.
 */
public final class PostgresChunkPositionSource<T> extends PostgresIncrementalSource<T> {
    private static final long serialVersionUID = 1L;

    private final long baselineLsn;

    private PostgresChunkPositionSource(
            PostgresSourceConfigFactory configFactory,
            DebeziumDeserializationSchema<T> deserializer,
            PostgresDialect dialect,
            long baselineLsn) {
        super(configFactory, deserializer, new PostgresOffsetFactory(), dialect);
        this.baselineLsn = baselineLsn;
    }

    /**
     * The source {@code builder} would build, with the chunk-position emitter.
     *
     * @param baselineLsn the snapshot's baseline ({@link PostgresSnapshotBaseline}); 0 emits no baseline TRUNCATE
     * @param wholeTableChunks tables read as one chunk, with the column that types it ({@link PostgresChunkDialect})
     */
    static <T> PostgresChunkPositionSource<T> of(
            PostgresSourceBuilder<T> builder,
            DebeziumDeserializationSchema<T> deserializer,
            long baselineLsn,
            Map<String, String> wholeTableChunks) {
        PostgresSourceConfigFactory config = builder.getConfigFactory();
        return new PostgresChunkPositionSource<>(
                config, deserializer, new PostgresChunkDialect(config.create(0), wholeTableChunks), baselineLsn);
    }

    /** Refuses a restore whose slot is gone ({@link PostgresSlotRestoreCheck}), then restores as Flink CDC does. */
    @Override
    public PostgresSourceEnumerator restoreEnumerator(
            SplitEnumeratorContext<SourceSplitBase> context, PendingSplitsState checkpoint) {
        PostgresSlotRestoreCheck.check((PostgresDialect) dataSourceDialect, where(configFactory.create(0)));
        return super.restoreEnumerator(context, checkpoint);
    }

    /** Flink CDC's reader ({@code PostgresIncrementalSource.createReader}), with the slot check on stream splits. */
    @Override
    public PostgresSourceReader createReader(SourceReaderContext readerContext) {
        PostgresSourceConfig config = (PostgresSourceConfig) configFactory.create(readerContext.getIndexOfSubtask());
        SourceReaderMetrics metrics = new SourceReaderMetrics(readerContext.metricGroup());
        IncrementalSourceReaderContext context = new IncrementalSourceReaderContext(readerContext);
        @SuppressWarnings({"rawtypes", "unchecked"})
        Supplier<IncrementalSourceSplitReader> splitReader = () -> new IncrementalSourceSplitReader(
                readerContext.getIndexOfSubtask(), dataSourceDialect, config, context, snapshotHooks);
        return new PostgresSlotCheckingReader(
                new FutureCompletingBlockingQueue<>(),
                splitReader,
                createRecordEmitter(config, metrics),
                readerContext.getConfiguration(),
                context,
                config,
                sourceSplitSerializer,
                (PostgresDialect) dataSourceDialect,
                where(config));
    }

    private static String where(JdbcSourceConfig config) {
        return config.getHostname() + ":" + config.getPort() + "/"
                + config.getDatabaseList().get(0);
    }

    @Override
    protected RecordEmitter<SourceRecords, T, SourceSplitState> createRecordEmitter(
            SourceConfig sourceConfig, SourceReaderMetrics metrics) {
        return new PostgresChunkPositionEmitter<>(
                deserializationSchema, metrics, sourceConfig.isIncludeSchemaChanges(), offsetFactory, baselineLsn);
    }
}
