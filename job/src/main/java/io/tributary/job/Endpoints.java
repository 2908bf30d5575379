package io.tributary.job;

import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;
import io.tributary.postgres.PostgresSlotLag;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

import java.util.Objects;
import java.util.Optional;

/**
 * The sources and sinks a topology is wired to. Production builds them from configuration; a test
 * passes a bounded source and collecting sinks and runs the same wiring:
 * {@code Endpoints.builder(source).eventLog(sink).build()}; a destination not given is off.
 */
public final class Endpoints {
    private final Source<ChangeEvent, ?, ?> source;
    private final Sink<ChangeEvent> eventLog;
    private final Sink<ChangeEvent> kinesis;
    private final Sink<ChangeEvent> dynamoDb;
    private final PostgresSlotLag slotLag;
    private final DeadLetterHandler eventLogDeadLetters;
    private final Sink<ChangeEvent> journal;

    private Endpoints(
            Source<ChangeEvent, ?, ?> source,
            Sink<ChangeEvent> eventLog,
            Sink<ChangeEvent> kinesis,
            Sink<ChangeEvent> dynamoDb,
            PostgresSlotLag slotLag,
            DeadLetterHandler eventLogDeadLetters,
            Sink<ChangeEvent> journal) {
        this.source = source;
        this.eventLog = eventLog;
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
        this.slotLag = slotLag;
        this.eventLogDeadLetters = eventLogDeadLetters;
        this.journal = journal;
    }

    /** The DynamoDB event journal, if enabled. */
    public Optional<Sink<ChangeEvent>> journal() {
        return Optional.ofNullable(journal);
    }

    /** A source and no destination: the topology's output is the sequenced stream alone. */
    public static Endpoints sourceOnly(Source<ChangeEvent, ?, ?> source) {
        return builder(source).build();
    }

    /** Endpoints reading {@code source}; every destination is off until given. */
    public static Builder builder(Source<ChangeEvent, ?, ?> source) {
        return new Builder(source);
    }

    /** The same endpoints, with the replication slot whose lag the job reports. */
    public Endpoints withSlotLag(PostgresSlotLag slot) {
        return new Endpoints(source, eventLog, kinesis, dynamoDb, slot, eventLogDeadLetters, journal);
    }

    /** The replication slot whose lag the job reports, if any. */
    public Optional<PostgresSlotLag> slotLag() {
        return Optional.ofNullable(slotLag);
    }

    /**
     * Where the event log puts events Parquet cannot hold; without one such an event fails the job
     * rather than be dropped ({@link DeadLetterHandler#failJob()}).
     */
    public DeadLetterHandler eventLogDeadLetters() {
        return eventLogDeadLetters != null ? eventLogDeadLetters : DeadLetterHandler.failJob();
    }

    public Source<ChangeEvent, ?, ?> source() {
        return source;
    }

    /** The Parquet event log, if enabled. */
    public Optional<Sink<ChangeEvent>> eventLog() {
        return Optional.ofNullable(eventLog);
    }

    /** The Kinesis change stream, if enabled. */
    public Optional<Sink<ChangeEvent>> kinesis() {
        return Optional.ofNullable(kinesis);
    }

    /** The DynamoDB read model, if enabled. */
    public Optional<Sink<ChangeEvent>> dynamoDb() {
        return Optional.ofNullable(dynamoDb);
    }

    /** Names each destination a topology writes to; the ones not given are off. */
    public static final class Builder {
        private final Source<ChangeEvent, ?, ?> source;
        private Sink<ChangeEvent> eventLog;
        private Sink<ChangeEvent> kinesis;
        private Sink<ChangeEvent> dynamoDb;
        private Sink<ChangeEvent> journal;
        private DeadLetterHandler eventLogDeadLetters;

        private Builder(Source<ChangeEvent, ?, ?> source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The Parquet event log. */
        public Builder eventLog(Sink<ChangeEvent> sink) {
            this.eventLog = Objects.requireNonNull(sink, "eventLog");
            return this;
        }

        /** Where the event log puts events Parquet cannot hold; without one such an event fails the job. */
        public Builder eventLogDeadLetters(DeadLetterHandler handler) {
            this.eventLogDeadLetters = Objects.requireNonNull(handler, "eventLogDeadLetters");
            return this;
        }

        /** The Kinesis change stream. */
        public Builder kinesis(Sink<ChangeEvent> sink) {
            this.kinesis = Objects.requireNonNull(sink, "kinesis");
            return this;
        }

        /** The DynamoDB read model. */
        public Builder dynamoDb(Sink<ChangeEvent> sink) {
            this.dynamoDb = Objects.requireNonNull(sink, "dynamoDb");
            return this;
        }

        /** The DynamoDB event journal. */
        public Builder journal(Sink<ChangeEvent> sink) {
            this.journal = Objects.requireNonNull(sink, "journal");
            return this;
        }

        public Endpoints build() {
            return new Endpoints(source, eventLog, kinesis, dynamoDb, null, eventLogDeadLetters, journal);
        }
    }
}
