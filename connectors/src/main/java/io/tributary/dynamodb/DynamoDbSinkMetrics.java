package io.tributary.dynamodb;

import io.tributary.deadletter.DeadLetterMetrics;
import io.tributary.event.AtomicCounter;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The sink's counters. Completions arrive on SDK threads, so the counters are atomic rather than
 * Flink's SimpleCounter.
 */
public final class DynamoDbSinkMetrics {
    private final AtomicCounter itemsWritten = new AtomicCounter();
    private final AtomicCounter itemsDeleted = new AtomicCounter();
    private final AtomicCounter writesCoalesced = new AtomicCounter();
    private final AtomicCounter staleWritesRejected = new AtomicCounter();
    private final AtomicCounter retries = new AtomicCounter();
    private final Counter deadLetters;
    private final AtomicCounter unmappedSkipped = new AtomicCounter();
    private final AtomicCounter truncatesApplied = new AtomicCounter();
    private final AtomicCounter itemsTruncated = new AtomicCounter();

    public DynamoDbSinkMetrics(MetricGroup group) {
        // Managed Service for Apache Flink forwards only metrics under a 'kinesisanalytics' group to CloudWatch.
        MetricGroup g = group.addGroup("kinesisanalytics").addGroup("dynamodb");
        g.counter("itemsWritten", itemsWritten);
        g.counter("itemsDeleted", itemsDeleted);
        g.counter("writesCoalesced", writesCoalesced);
        g.counter("staleWritesRejected", staleWritesRejected);
        g.counter("retries", retries);
        g.counter("unmappedEventsSkipped", unmappedSkipped);
        g.counter("truncatesApplied", truncatesApplied);
        g.counter("itemsTruncated", itemsTruncated);
        this.deadLetters = DeadLetterMetrics.register(group, DynamoDbChangeSinkWriter.DESTINATION);
    }

    /** Puts that took effect (upserts and tombstones). */
    public Counter itemsWritten() {
        return itemsWritten;
    }

    /** Hard deletes that took effect. */
    public Counter itemsDeleted() {
        return itemsDeleted;
    }

    /** Changes replaced in the buffer by a newer change of the same key before being written. */
    public Counter writesCoalesced() {
        return writesCoalesced;
    }

    /** Writes refused because the item already held this or a newer change (plus older changes dropped in the buffer). */
    public Counter staleWritesRejected() {
        return staleWritesRejected;
    }

    public Counter retries() {
        return retries;
    }

    public Counter deadLetters() {
        return deadLetters;
    }

    public Counter unmappedSkipped() {
        return unmappedSkipped;
    }

    /** TRUNCATE copies this subtask applied (each subtask applies its own copy). */
    public Counter truncatesApplied() {
        return truncatesApplied;
    }

    /** Items a TRUNCATE removed (or turned into tombstones). */
    public Counter itemsTruncated() {
        return itemsTruncated;
    }
}
