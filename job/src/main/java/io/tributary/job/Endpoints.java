package io.tributary.job;

import io.tributary.event.ChangeEvent;
import io.tributary.event.DeadLetterHandler;
import io.tributary.postgres.PostgresSlotLag;

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
    private final Sink<ChangeEvent> kinesis;
    private final Sink<ChangeEvent> dynamoDb;
    private final PostgresSlotLag slotLag;
    private final DeadLetterHandler eventLogDeadLetters;
    private final Sink<ChangeEvent> journal;

    private Endpoints(Source<ChangeEvent, ?, ?> source, Sink<ChangeEvent> eventLog, Sink<ChangeEvent> kinesis,
            Sink<ChangeEvent> dynamoDb, PostgresSlotLag slotLag, DeadLetterHandler eventLogDeadLetters) {
        this(source, eventLog, kinesis, dynamoDb, slotLag, eventLogDeadLetters, null);
    }

    private Endpoints(Source<ChangeEvent, ?, ?> source, Sink<ChangeEvent> eventLog, Sink<ChangeEvent> kinesis,
            Sink<ChangeEvent> dynamoDb, PostgresSlotLag slotLag, DeadLetterHandler eventLogDeadLetters,
            Sink<ChangeEvent> journal) {
        this.source = source;
        this.eventLog = eventLog;
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
        this.slotLag = slotLag;
        this.eventLogDeadLetters = eventLogDeadLetters;
        this.journal = journal;
    }

    /** The same endpoints, with the DynamoDB event journal (null: none). */
    public Endpoints withJournal(Sink<ChangeEvent> sink) {
        return new Endpoints(source, eventLog, kinesis, dynamoDb, slotLag, eventLogDeadLetters, sink);
    }

    /** The DynamoDB event journal, if enabled. */
    public Optional<Sink<ChangeEvent>> journal() {
        return Optional.ofNullable(journal);
    }

    /** A source and the event log only; null for no event log. */
    public static Endpoints of(Source<ChangeEvent, ?, ?> source, Sink<ChangeEvent> eventLog) {
        return new Endpoints(source, eventLog, null, null, null, null);
    }

    /** A source and any of the three destinations; null for a destination that is off. */
    public static Endpoints of(Source<ChangeEvent, ?, ?> source, Sink<ChangeEvent> eventLog, Sink<ChangeEvent> kinesis,
            Sink<ChangeEvent> dynamoDb) {
        return new Endpoints(source, eventLog, kinesis, dynamoDb, null, null);
    }

    /** The same endpoints, with the replication slot whose lag the job reports. */
    public Endpoints withSlotLag(PostgresSlotLag slot) {
        return new Endpoints(source, eventLog, kinesis, dynamoDb, slot, eventLogDeadLetters, journal);
    }

    /** The replication slot whose lag the job reports, if any. */
    public Optional<PostgresSlotLag> slotLag() {
        return Optional.ofNullable(slotLag);
    }

    /** The same destinations with another source (a test's bounded one, the replay's log reader). */
    public Endpoints withSource(Source<ChangeEvent, ?, ?> other) {
        return new Endpoints(other, eventLog, kinesis, dynamoDb, slotLag, eventLogDeadLetters, journal);
    }

    /** The same endpoints, with where the event log puts events Parquet cannot hold. */
    public Endpoints withEventLogDeadLetters(DeadLetterHandler handler) {
        return new Endpoints(source, eventLog, kinesis, dynamoDb, slotLag, handler, journal);
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
}
