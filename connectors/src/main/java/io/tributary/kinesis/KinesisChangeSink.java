package io.tributary.kinesis;

import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.util.Objects;

/**
 * The Kinesis destination: one JSON record per change on one stream, partitioned by table and
 * primary key, in commit order per row, at-least-once (see {@link KinesisChangeSinkWriter}).
 *
 * <p>Feed it the sequencer's output keyed by {@link ChangeEvent#routingKey()}, so every change of
 * a row reaches the same writer in commit order:
 * <pre>{@code
 * sequenced.sinkTo(KinesisChangeSink.builder()
 *         .settings(KinesisSinkSettings.builder().streamName("changes").region("eu-west-1").build())
 *         .deadLetterHandler(handler)
 *         .build()).uid(...);
 * }</pre>
 */
public final class KinesisChangeSink implements Sink<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    private final KinesisSinkSettings settings;
    private final KinesisClientProvider clientProvider;
    private final DeadLetterHandler deadLetterHandler;

    private KinesisChangeSink(Builder b) {
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.clientProvider = b.clientProvider != null ? b.clientProvider : new KinesisSdkClientProvider(settings);
        this.deadLetterHandler = b.deadLetterHandler != null ? b.deadLetterHandler : DeadLetterHandler.failJob();
    }

    public static Builder builder() {
        return new Builder();
    }

    public KinesisSinkSettings settings() {
        return settings;
    }

    @Override
    public SinkWriter<ChangeEvent> createWriter(WriterInitContext context) throws IOException {
        return new KinesisChangeSinkWriter(
                settings, clientProvider.create(), deadLetterHandler, context.getSubtaskId(), context.metricGroup());
    }

    /** Flink 1.20 still declares this one abstract; it is not called when the other is implemented. */
    @Override
    @Deprecated
    public SinkWriter<ChangeEvent> createWriter(InitContext context) throws IOException {
        return new KinesisChangeSinkWriter(
                settings, clientProvider.create(), deadLetterHandler, context.getSubtaskId(), context.metricGroup());
    }

    /** Builds a {@link KinesisChangeSink}; settings are required. */
    public static final class Builder {
        private KinesisSinkSettings settings;
        private KinesisClientProvider clientProvider;
        private DeadLetterHandler deadLetterHandler;

        public Builder settings(KinesisSinkSettings settings) {
            this.settings = settings;
            return this;
        }

        /** Defaults to {@link KinesisSdkClientProvider} built from the settings. */
        public Builder clientProvider(KinesisClientProvider clientProvider) {
            this.clientProvider = clientProvider;
            return this;
        }

        /** Where records that cannot be put go; defaults to {@link DeadLetterHandler#failJob()}. */
        public Builder deadLetterHandler(DeadLetterHandler deadLetterHandler) {
            this.deadLetterHandler = deadLetterHandler;
            return this;
        }

        public KinesisChangeSink build() {
            return new KinesisChangeSink(this);
        }
    }
}
