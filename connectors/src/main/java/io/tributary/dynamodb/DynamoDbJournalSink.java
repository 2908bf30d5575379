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
 * The DynamoDB event journal: every change as one item, keyed by row and position, in one table for
 * all captured tables (docs/formats/README.md, "DynamoDB event journal"). Feed it one copy of each
 * change (a fanned-out TRUNCATE's copies other than the first are skipped anyway).
 *
 * <p>Guarantee: idempotent at-least-once. Every change is written before a checkpoint completes;
 * a change written again after a restore lands on the same key with the same content, so the
 * journal holds each change once. Items over DynamoDB's 400 KB limit go to the dead letters.
 */
public final class DynamoDbJournalSink implements Sink<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    private final DynamoDbJournalSettings settings;
    private final DynamoDbClientProvider clientProvider;
    private final DeadLetterHandler deadLetterHandler;

    private DynamoDbJournalSink(Builder b) {
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
            throw new IOException("could not open the DynamoDB journal's dead-letter handler", e);
        }
        return new DynamoDbJournalWriter(
                settings, clientProvider.create(), deadLetterHandler, new DynamoDbJournalMetrics(metrics), timers);
    }

    /** Builds a {@link DynamoDbJournalSink}; settings and client provider are required. */
    public static final class Builder {
        private DynamoDbJournalSettings settings;
        private DynamoDbClientProvider clientProvider;
        private DeadLetterHandler deadLetterHandler = DeadLetterHandler.logging();

        public Builder settings(DynamoDbJournalSettings settings) {
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

        public DynamoDbJournalSink build() {
            return new DynamoDbJournalSink(this);
        }
    }
}
