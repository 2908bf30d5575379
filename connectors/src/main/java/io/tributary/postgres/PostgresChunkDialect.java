package io.tributary.postgres;

import io.debezium.jdbc.JdbcConnection;
import io.debezium.relational.Column;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import org.apache.flink.cdc.connectors.base.config.JdbcSourceConfig;
import org.apache.flink.cdc.connectors.base.relational.connection.JdbcConnectionPoolFactory;
import org.apache.flink.cdc.connectors.base.source.assigner.splitter.ChunkSplitter;
import org.apache.flink.cdc.connectors.base.source.assigner.state.ChunkSplitterState;
import org.apache.flink.cdc.connectors.base.source.meta.offset.Offset;
import org.apache.flink.cdc.connectors.base.source.reader.external.JdbcSourceFetchTaskContext;
import org.apache.flink.cdc.connectors.postgres.source.PostgresChunkSplitter;
import org.apache.flink.cdc.connectors.postgres.source.PostgresDialect;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfig;
import org.apache.flink.cdc.connectors.postgres.source.fetch.PostgresSourceFetchTaskContext;
import org.apache.flink.cdc.connectors.postgres.source.utils.ChunkUtils;
import org.apache.flink.table.types.logical.RowType;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The Flink CDC PostgreSQL dialect with a snapshot split column per table instead of one for all tables.
 *
 * <p>Flink CDC 3.5 takes one {@code chunkKeyColumn} for every table ({@code JdbcSourceConfig.getChunkKeyColumn},
 * read by {@code JdbcSourceChunkSplitter.analyzeTable} and {@code PostgresSourceFetchTaskContext.getSplitType});
 * a table with a primary key is split by its first key column when that setting is null. So a job that mixes
 * tables with a primary key and tables keyed by {@code key-columns} could not snapshot both. This dialect keeps
 * the library's choice (null: the primary key's first column) for tables with a primary key, and reads every
 * table keyed by configuration as ONE chunk ({@code SELECT *} without a range), typed by its first configured key
 * column:
 * <ul>
 *   <li>the split column must be in the record key, because the backfill and the stream phase find a change's
 *       chunk by reading that field from the key ({@code SourceRecordUtils.getSplitKey}); the configured key
 *       columns are the record key ({@code message.key.columns});</li>
 *   <li>a range split by a configured column would miss every row whose value there is NULL (the chunk queries are
 *       {@code col >= ? AND col < ?}), and re-scan an unindexed table once per chunk; one chunk reads each row once.
 *       Returning no MIN/MAX makes the library's own splitter produce that single whole-table chunk.</li>
 * </ul>
 * The cost: one reader reads such a table, and Flink CDC holds a chunk in memory until its backfill ends
 * ({@code IncrementalSourceScanFetcher.pollWithBuffer}), keyed by the record key.
 *
 * <p>Its snapshot connection pool passes the driver properties (TLS) to pgjdbc: {@link PostgresDriverPoolFactory}.
 *
 * <p>It also confirms to the slot only positions a completed checkpoint holds. Flink CDC 3.5's reader passes a null
 * offset for a completed checkpoint that holds no stream offset (taken before the reader had the stream split, or
 * dropped while offset commits were paused; {@code PostgresSourceReader} confirms checkpoints with a delay, so such a
 * checkpoint can complete after streaming began), and {@code PostgresStreamFetchTask.commitCurrentOffset(null)} then
 * confirms the stream's live {@code lsn_commit}, which can be beyond every checkpoint: a restore of the newest one
 * would skip the changes in between ({@link PostgresSlotRestoreCheck} refuses it). Skipping the null offset leaves
 * the slot where the last checkpoint with a stream offset put it.
 */
final class PostgresChunkDialect extends PostgresDialect {
    private static final long serialVersionUID = 1L;

    /** "schema.table" of each table read as one chunk → the column that types its split (first key column). */
    private final HashMap<String, String> wholeTables;

    PostgresChunkDialect(PostgresSourceConfig config, Map<String, String> wholeTables) {
        super(config);
        this.wholeTables = new HashMap<>(wholeTables);
    }

    static String name(TableId id) {
        return id.schema() + "." + id.table();
    }

    /** The library's pool gives the driver no properties (so no TLS); this one gives it Debezium's. */
    @Override
    public JdbcConnectionPoolFactory getPooledDataSourceFactory() {
        return new PostgresDriverPoolFactory();
    }

    /** Confirms only a checkpoint's own stream offset; a null offset would confirm the live position (see above). */
    @Override
    public void notifyCheckpointComplete(long checkpointId, Offset offset) throws Exception {
        if (offset != null) {
            super.notifyCheckpointComplete(checkpointId, offset);
        }
    }

    @Override
    public ChunkSplitter createChunkSplitter(JdbcSourceConfig config) {
        return createChunkSplitter(config, ChunkSplitterState.NO_SPLITTING_TABLE_STATE);
    }

    @Override
    public ChunkSplitter createChunkSplitter(JdbcSourceConfig config, ChunkSplitterState state) {
        return new Splitter(config, this, state, wholeTables);
    }

    @Override
    public JdbcSourceFetchTaskContext createFetchTaskContext(JdbcSourceConfig config) {
        return new FetchTaskContext(config, this, wholeTables);
    }

    private static Column column(Table table, String name) {
        Column c = table.columnWithName(name);
        if (c == null) {
            throw new IllegalStateException("key column " + name + " of " + table.id() + " is gone: it was in the table"
                    + " when the job started; restore key-columns or the column, then restart the job");
        }
        return c;
    }

    /** Splits tables with a primary key as the library does; a table keyed by configuration is one chunk. */
    private static final class Splitter extends PostgresChunkSplitter {
        private final Map<String, String> wholeTables;

        Splitter(
                JdbcSourceConfig config,
                PostgresDialect dialect,
                ChunkSplitterState state,
                Map<String, String> wholeTables) {
            super(config, dialect, state);
            this.wholeTables = wholeTables;
        }

        @Override
        protected Column getSplitColumn(Table table, String chunkKeyColumn) {
            String column = wholeTables.get(name(table.id()));
            return column == null ? super.getSplitColumn(table, null) : column(table, column);
        }

        @Override
        public Object[] queryMinMax(JdbcConnection jdbc, TableId tableId, Column splitColumn) throws SQLException {
            // No bounds: JdbcSourceChunkSplitter then emits the whole table as one chunk (ChunkRange.all()).
            return wholeTables.containsKey(name(tableId))
                    ? new Object[] {null, null}
                    : super.queryMinMax(jdbc, tableId, splitColumn);
        }
    }

    /** Finds a change's chunk by the same column the splitter chose for its table. */
    private static final class FetchTaskContext extends PostgresSourceFetchTaskContext {
        private final Map<String, String> wholeTables;

        FetchTaskContext(JdbcSourceConfig config, PostgresDialect dialect, Map<String, String> wholeTables) {
            super(config, dialect);
            this.wholeTables = wholeTables;
        }

        @Override
        public RowType getSplitType(Table table) {
            String column = wholeTables.get(name(table.id()));
            return ChunkUtils.getSplitType(
                    column == null ? ChunkUtils.getSplitColumn(table, null) : column(table, column));
        }
    }
}
