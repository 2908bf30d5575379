package io.tributary.dynamodb;

import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.io.IOException;
import java.util.Objects;

/**
 * The DynamoDB read model: one item per source row, converging to the row's latest committed
 * state. Feed it the sequencer's output keyed by {@link ChangeEvent#routingKey()}.
 *
 * <p>Guarantee: writes are conditioned on the stored version, so a re-delivered or older change
 * never overwrites a newer item (an equal version is refused too). Hard DELETEs remove the version
 * with the item, so a change older than the delete arriving later would re-create the row: in the
 * running job that cannot happen (the sequencer drops replays per key, changes of one key arrive
 * in order, and the writer never has two writes of one key in flight); after a restore from a
 * checkpoint the replayed tail ends with the same DELETE, so the item converges again. Replaying
 * history that stops before a delete (an older savepoint, a bounded replay job) can bring the row
 * back: choose {@link DynamoDbTableMapping.DeleteMode#TOMBSTONE} to keep the fence until the TTL.
 */
public final class DynamoDbChangeSink implements Sink<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    private final DynamoDbSinkSettings settings;
    private final DynamoDbClientProvider clientProvider;
    private final DeadLetterHandler deadLetterHandler;

    private DynamoDbChangeSink(Builder b) {
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.clientProvider = Objects.requireNonNull(b.clientProvider, "client provider");
        this.deadLetterHandler = b.deadLetterHandler;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(WriterInitContext context) throws IOException {
        return writer(
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.metricGroup(),
                context.getProcessingTimeService());
    }

    @Override
    @Deprecated
    public SinkWriter<ChangeEvent> createWriter(Sink.InitContext context) throws IOException {
        return writer(
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.metricGroup(),
                context.getProcessingTimeService());
    }

    private SinkWriter<ChangeEvent> writer(int subtask, SinkWriterMetricGroup metrics, ProcessingTimeService timers)
            throws IOException {
        try {
            deadLetterHandler.open(subtask);
        } catch (Exception e) {
            throw new IOException("could not open the DynamoDB sink's dead-letter handler", e);
        }
        return new DynamoDbChangeSinkWriter(
                settings, clientProvider.create(), deadLetterHandler, new DynamoDbSinkMetrics(metrics), timers);
    }

    /** Builds a {@link DynamoDbChangeSink}; settings and client provider are required. */
    public static final class Builder {
        private DynamoDbSinkSettings settings;
        private DynamoDbClientProvider clientProvider;
        private DeadLetterHandler deadLetterHandler = DeadLetterHandler.logging();

        public Builder settings(DynamoDbSinkSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder clientProvider(DynamoDbClientProvider clientProvider) {
            this.clientProvider = clientProvider;
            return this;
        }

        /** Where items that cannot be written go; default logs them at ERROR. */
        public Builder deadLetterHandler(DeadLetterHandler deadLetterHandler) {
            this.deadLetterHandler = Objects.requireNonNull(deadLetterHandler);
            return this;
        }

        public DynamoDbChangeSink build() {
            return new DynamoDbChangeSink(this);
        }
    }
}
