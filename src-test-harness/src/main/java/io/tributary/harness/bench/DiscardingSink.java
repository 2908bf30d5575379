package io.tributary.harness.bench;

import io.tributary.event.ChangeEvent;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink that counts and drops every change: put in a destination's place, it shows what the
 * rest of the job (source, sequencer, serialization between them) costs without that destination.
 * The count is a JVM-wide static because the benchmark and the MiniCluster share one JVM.
 */
final class DiscardingSink implements Sink<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong RECEIVED = new AtomicLong();

    static void reset() {
        RECEIVED.set(0);
    }

    static long received() {
        return RECEIVED.get();
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<ChangeEvent> createWriter(InitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(ChangeEvent element, Context ctx) {
                RECEIVED.incrementAndGet();
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
