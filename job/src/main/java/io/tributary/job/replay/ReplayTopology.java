package io.tributary.job.replay;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.s3.ParquetEventLogFormat;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;
import java.util.Map;

/**
 * The replay's wiring: the plan's part files → commit-time window → keyBy(table, primary key) →
 * per-row sort by position → the same Kinesis and DynamoDB sinks the streaming job uses; before
 * DynamoDB, {@link TruncateCut} keeps of a truncated table only its last TRUNCATE and what follows.
 *
 * <p>Runs in {@code BATCH} mode: the keyed exchange is blocking, so every file is read (and a bad
 * one in fail mode stops the job) before the first write to a sink.
 */
public final class ReplayTopology {
    public static final String UID_SOURCE = "replay-eventlog-source";
    public static final String UID_WINDOW = "replay-commit-window";
    public static final String UID_SORTER = "replay-position-sorter";
    public static final String UID_TRUNCATE_CUT = "replay-truncate-cut";
    public static final String UID_KINESIS = "replay-kinesis-sink";
    public static final String UID_DYNAMODB = "replay-dynamodb-sink";
    public static final String UID_JOURNAL = "replay-dynamodb-journal-sink";

    private ReplayTopology() {}

    /**
     * Adds the replay to {@code env} (switching it to batch mode); null for a sink that is off.
     * {@code lastTruncates}: per table, its last TRUNCATE in the window ({@link ReplayPlan#lastTruncates()}).
     */
    public static DataStream<ChangeEvent> build(
            StreamExecutionEnvironment env,
            List<Path> files,
            ReplaySettings settings,
            String runId,
            Map<String, ChangeEvent> lastTruncates,
            Sink<ChangeEvent> kinesis,
            Sink<ChangeEvent> dynamoDb) {
        return build(env, files, settings, runId, lastTruncates, kinesis, dynamoDb, null);
    }

    /**
     * The same, with the DynamoDB event journal (null: off). The journal takes every change in the window,
     * TRUNCATEs included, and needs no order: each change is its own item.
     */
    public static DataStream<ChangeEvent> build(
            StreamExecutionEnvironment env,
            List<Path> files,
            ReplaySettings settings,
            String runId,
            Map<String, ChangeEvent> lastTruncates,
            Sink<ChangeEvent> kinesis,
            Sink<ChangeEvent> dynamoDb,
            Sink<ChangeEvent> journal) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        FileSource<ChangeEvent> source = FileSource.forBulkFileFormat(
                        new ParquetEventLogFormat(settings.failOnBadFile(), new ReplayProgress(runId)),
                        files.toArray(new Path[0]))
                .build();
        DataStream<ChangeEvent> ordered = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "Event log files", ChangeEventTypeInfo.INSTANCE)
                .uid(UID_SOURCE)
                .filter(new CommitTimeWindow(
                        ReplaySettings.micros(settings.from(), Long.MIN_VALUE),
                        ReplaySettings.micros(settings.until(), Long.MAX_VALUE)))
                .name("Commit-time window")
                .uid(UID_WINDOW)
                .keyBy(ChangeEvent::routingKey)
                .process(new PositionSorter(), ChangeEventTypeInfo.INSTANCE)
                .name("Sort each row's changes by position")
                .uid(UID_SORTER);
        if (kinesis != null) {
            ordered.sinkTo(kinesis).name("Kinesis change stream").uid(UID_KINESIS);
        }
        if (dynamoDb != null) {
            ordered.filter(new TruncateCut(lastTruncates))
                    .name("Changes after each table's last TRUNCATE")
                    .uid(UID_TRUNCATE_CUT)
                    .sinkTo(dynamoDb)
                    .name("DynamoDB read model")
                    .uid(UID_DYNAMODB);
        }
        if (journal != null) {
            ordered.sinkTo(journal).name("DynamoDB event journal").uid(UID_JOURNAL);
        }
        return ordered;
    }
}
