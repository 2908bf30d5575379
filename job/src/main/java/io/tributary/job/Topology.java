package io.tributary.job;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.SequencerOptions;
import io.tributary.job.sequencer.RowSequencer;
import io.tributary.s3.ParquetEventLogCheck;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's wiring: CDC source → keyBy(table, primary key) → sequencer → destinations. Takes its
 * endpoints as a parameter so tests run the production wiring with their own source and sinks.
 */
public final class Topology {
    private Topology() {}

    /** Adds the pipeline to {@code env}; returns the sequenced stream every destination reads. */
    public static DataStream<ChangeEvent> build(StreamExecutionEnvironment env, JobConfig config, Endpoints endpoints) {
        DataStream<ChangeEvent> changes = env
                .fromSource(endpoints.source(), WatermarkStrategy.noWatermarks(), "PostgreSQL CDC", ChangeEventTypeInfo.INSTANCE)
                .uid(Uids.SOURCE);

        DataStream<ChangeEvent> sequenced = changes
                .keyBy(ChangeEvent::routingKey)
                .process(new RowSequencer(config.sequencer().get(SequencerOptions.STATE_TTL), endpoints.slotLag().orElse(null)),
                        ChangeEventTypeInfo.INSTANCE)
                .name("Sequencer: order per row, fill old images")
                .uid(Uids.SEQUENCER);

        // The sequenced stream is already partitioned by row and every sink runs at the sequencer's
        // parallelism, so the sinks chain to it and see each row's changes in order.
        // An event Parquet cannot hold becomes a dead letter in front of the FileSink (see ParquetEventLogCheck).
        endpoints.eventLog().ifPresent(sink -> sequenced
                .process(new ParquetEventLogCheck(endpoints.eventLogDeadLetters()), ChangeEventTypeInfo.INSTANCE)
                .name("Event log: dead-letter what Parquet cannot hold").uid(Uids.EVENT_LOG_CHECK)
                .sinkTo(sink).name("Parquet event log").uid(Uids.EVENT_LOG));
        endpoints.kinesis().ifPresent(sink -> sequenced.sinkTo(sink).name("Kinesis change stream").uid(Uids.KINESIS));
        endpoints.dynamoDb().ifPresent(sink -> sequenced.sinkTo(sink).name("DynamoDB read model").uid(Uids.DYNAMODB));
        return sequenced;
    }
}
