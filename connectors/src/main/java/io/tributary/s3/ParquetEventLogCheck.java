package io.tributary.s3;

import io.tributary.deadletter.DeadLetter;
import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.deadletter.DeadLetterMetrics;
import io.tributary.event.ChangeEvent;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in front of the event log's FileSink: an event whose values the Parquet file cannot hold (a
 * decimal with more digits than its column declares, a value of the wrong class for its kind, a
 * timestamp outside Parquet's micros range) goes to the dead letters, counted as {@code deadLetters}
 * of destination {@code eventlog}; every other event passes on to the sink unchanged.
 *
 * <p>Why an operator in front and not a catch inside the sink's {@code BulkWriter}: a bulk writer
 * has no metric group (so no counter and no alarm), no open/close or checkpoint hook for the
 * dead-letter handler, and is created for a part file before its first event is known, so catching
 * there could commit empty part files that Athena and DuckDB cannot read. This operator chains to the
 * sequencer and the sink, so no record crosses a thread or is serialized for it, and the record it
 * converted and validated goes to the writer with the event ({@link ParquetEventLogRecordHandoff}),
 * so each event is converted once. The check converts with the writer's own
 * {@link ParquetEventLogRecordConverter} and validates the record against the file's Avro schema,
 * so what passes here is what the writer can write.
 *
 * <p>Exactly-once for the events written is the FileSink's. A dead letter is written and closed by
 * the handler before {@link #processElement} returns, and {@link #snapshotState} flushes the
 * handler, so a letter is durable before the checkpoint that passes its event.
 */
public final class ParquetEventLogCheck extends ProcessFunction<ChangeEvent, ChangeEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParquetEventLogCheck.class);
    /** The destination name in letters, paths and metrics. */
    public static final String DESTINATION = "eventlog";

    private final DeadLetterHandler deadLetters;
    private transient ParquetEventLogRecordConverter converter;
    private transient Counter deadLettered;

    public ParquetEventLogCheck(DeadLetterHandler deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        converter = new ParquetEventLogRecordConverter();
        deadLettered = DeadLetterMetrics.register(getRuntimeContext().getMetricGroup(), DESTINATION);
        deadLetters.open(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public void processElement(ChangeEvent event, Context context, Collector<ChangeEvent> out) throws Exception {
        String problem = problem(event);
        if (problem == null) {
            out.collect(event);
            return;
        }
        DeadLetter letter = DeadLetter.of(event, DESTINATION, problem);
        LOG.warn("event log dead letter: {}", letter);
        deadLettered.inc();
        deadLetters.handle(letter);
    }

    /** Why the event log cannot hold {@code event}, or null if it can. */
    String problem(ChangeEvent event) {
        if (converter == null) {
            converter = new ParquetEventLogRecordConverter();
        }
        GenericRecord record;
        try {
            record = converter.toRecord(event);
        } catch (RuntimeException e) {
            return "the Parquet event log cannot hold this event: " + shorten(e.toString())
                    + " (a value does not fit its column's Parquet type: a decimal wider than its declared precision,"
                    + " a timestamp outside Parquet's microsecond range, or a value of another class than its column's"
                    + " kind); the event is kept here whole: fix the column type or the value and re-drive it";
        }
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (!GenericData.get().validate(field.schema(), value)) {
                return "the Parquet event log cannot hold this event: column " + field.name() + " holds a "
                        + (value == null ? "null" : value.getClass().getName()) + " where the file has "
                        + field.schema()
                        + "; the event is kept here whole: fix the value's mapping and re-drive it";
            }
        }
        ParquetEventLogRecordHandoff.put(event, record);
        return null;
    }

    /** An exception's text can quote the whole event; the letter holds the event already. */
    private static String shorten(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        deadLetters.flush();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // no state of its own: a letter is durable when handle returns
    }

    @Override
    public void close() throws Exception {
        deadLetters.close();
    }
}
