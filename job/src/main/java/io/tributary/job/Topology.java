package io.tributary.job;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.job.config.JobConfig;
import io.tributary.job.lag.LagReporter;
import io.tributary.job.sequencer.RowSequencer;
import io.tributary.job.sequencer.TruncateFanOut;
import io.tributary.s3.ParquetEventLogCheck;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's wiring: CDC source → TRUNCATE fan-out → keyBy(table, primary key) → sequencer →
 * lag reporter → destinations. Takes its endpoints as a parameter so tests run the production wiring with their own
 * source and sinks.
 */
public final class Topology {
    /** {@code RocksDBConfigurableOptions.USE_BLOOM_FILTER}, by key: the RocksDB backend is the cluster's jar. */
    static final ConfigOption<Boolean> USE_BLOOM_FILTER = ConfigOptions.key("state.backend.rocksdb.use-bloom-filter")
            .booleanType()
            .defaultValue(false);

    /**
     * RocksDB bloom filters, set by the job so they hold on the service too (a job's configuration overrides the
     * cluster's for the state backend). Every snapshot row and every INSERT looks up a row the sequencer has never
     * seen; without a filter RocksDB reads every level's index and data blocks to find nothing, and once the state
     * outgrows the block cache the sequencer spends its time in {@code RocksDB.get} (BENCHMARKS.md, run 6: a
     * 500,000-row snapshot at 4,600 rows/s without, 22,000 with). No effect on the heap backend.
     */
    static final Configuration STATE_TUNING = stateTuning();

    private Topology() {}

    private static Configuration stateTuning() {
        Configuration tuning = new Configuration();
        tuning.set(USE_BLOOM_FILTER, true);
        return tuning;
    }

    /** Adds the pipeline to {@code env}; returns the sequenced stream every destination reads. */
    public static DataStream<ChangeEvent> build(StreamExecutionEnvironment env, JobConfig config, Endpoints endpoints) {
        env.configure(STATE_TUNING);
        DataStream<ChangeEvent> changes = env.fromSource(
                        endpoints.source(),
                        WatermarkStrategy.noWatermarks(),
                        "PostgreSQL CDC",
                        ChangeEventTypeInfo.INSTANCE)
                .uid(Uids.SOURCE);

        // A TRUNCATE becomes one copy per sequencer subtask, so it is ordered with every row of its table.
        // Chained to the source at the default parallelism: the copy keys need the sequencer's parallelism.
        DataStream<ChangeEvent> fannedOut = changes.flatMap(new TruncateFanOut(), ChangeEventTypeInfo.INSTANCE)
                .name("TRUNCATE to every sequencer subtask")
                .uid(Uids.TRUNCATE_FAN_OUT);

        DataStream<ChangeEvent> sequenced = fannedOut
                .keyBy(ChangeEvent::sequencerKey)
                .process(new RowSequencer(config.sequencerStateTtl()), ChangeEventTypeInfo.INSTANCE)
                .name("Sequencer: order per row, fill old images")
                .uid(Uids.SEQUENCER)
                // Chained pass-through: commit lag of what leaves the sequencer; the first subtask polls the slot.
                .process(
                        endpoints.slotLag().map(LagReporter::pollingSlot).orElseGet(LagReporter::arrivalsOnly),
                        ChangeEventTypeInfo.INSTANCE)
                .name("Lag: commit to sequenced, replication slot")
                .uid(Uids.LAG_REPORTER);

        // The sequenced stream is already partitioned by row and every sink runs at the sequencer's
        // parallelism, so the sinks chain to it and see each row's changes in order. The log and the
        // stream take one copy of a TRUNCATE; each DynamoDB writer applies its own after its earlier writes.
        // An event Parquet cannot hold becomes a dead letter in front of the FileSink (see ParquetEventLogCheck).
        DataStream<ChangeEvent> once = sequenced
                .filter(ChangeEvent::isPrimaryCopy)
                .name("One copy of each TRUNCATE")
                .uid(Uids.TRUNCATE_ONCE);
        endpoints
                .eventLog()
                .ifPresent(sink -> once.process(
                                new ParquetEventLogCheck(endpoints.eventLogDeadLetters()), ChangeEventTypeInfo.INSTANCE)
                        .name("Event log: dead-letter what Parquet cannot hold")
                        .uid(Uids.EVENT_LOG_CHECK)
                        .sinkTo(sink)
                        .name("Parquet event log")
                        .uid(Uids.EVENT_LOG));
        endpoints
                .kinesis()
                .ifPresent(
                        sink -> once.sinkTo(sink).name("Kinesis change stream").uid(Uids.KINESIS));
        endpoints
                .dynamoDb()
                .ifPresent(sink ->
                        sequenced.sinkTo(sink).name("DynamoDB read model").uid(Uids.DYNAMODB));
        // The journal holds one item per change, so it takes one copy of a TRUNCATE too.
        endpoints
                .journal()
                .ifPresent(
                        sink -> once.sinkTo(sink).name("DynamoDB event journal").uid(Uids.DYNAMODB_JOURNAL));
        return sequenced;
    }
}
