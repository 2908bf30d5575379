package io.tributary.job;

import io.tributary.event.ChangeEvent;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

import java.util.Optional;

/**
 * The sources and sinks a topology is wired to. Production builds them from configuration; a test
 * passes a bounded source and collecting sinks and runs the same wiring.
 */
public final class Endpoints {
    private final Source<ChangeEvent, ?, ?> source;
    private final Sink<ChangeEvent> eventLog;

    private Endpoints(Source<ChangeEvent, ?, ?> source, Sink<ChangeEvent> eventLog) {
        this.source = source;
        this.eventLog = eventLog;
    }

    public static Endpoints of(Source<ChangeEvent, ?, ?> source, Sink<ChangeEvent> eventLog) {
        return new Endpoints(source, eventLog);
    }

    public Source<ChangeEvent, ?, ?> source() {
        return source;
    }

    /** The Parquet event log, if enabled. */
    public Optional<Sink<ChangeEvent>> eventLog() {
        return Optional.ofNullable(eventLog);
    }
}
