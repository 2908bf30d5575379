package io.tributary.dynamodb;

import io.tributary.deadletter.DeadLetterMetrics;
import io.tributary.event.AtomicCounter;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The journal writer's counters; atomic because completions arrive on SDK threads. */
public final class DynamoDbJournalMetrics {
    private final AtomicCounter itemsWritten = new AtomicCounter();
    private final AtomicCounter batchesWritten = new AtomicCounter();
    private final AtomicCounter unprocessedRetried = new AtomicCounter();
    private final AtomicCounter retries = new AtomicCounter();
    private final Counter deadLetters;

    public DynamoDbJournalMetrics(MetricGroup group) {
        // Managed Service for Apache Flink forwards only metrics under a 'kinesisanalytics' group to CloudWatch.
        MetricGroup g = group.addGroup("kinesisanalytics").addGroup("dynamodbJournal");
        g.counter("itemsWritten", itemsWritten);
        g.counter("batchesWritten", batchesWritten);
        g.counter("unprocessedItemsRetried", unprocessedRetried);
        g.counter("retries", retries);
        this.deadLetters = DeadLetterMetrics.register(group, DynamoDbJournalWriter.DESTINATION);
    }

    /** Items DynamoDB acknowledged (a re-delivered change counts again: it rewrote the same item). */
    public Counter itemsWritten() {
        return itemsWritten;
    }

    public Counter batchesWritten() {
        return batchesWritten;
    }

    /** Items DynamoDB returned as unprocessed and the writer sent again. */
    public Counter unprocessedRetried() {
        return unprocessedRetried;
    }

    /** Whole batches sent again after throttling or a transient error. */
    public Counter retries() {
        return retries;
    }

    public Counter deadLetters() {
        return deadLetters;
    }
}
