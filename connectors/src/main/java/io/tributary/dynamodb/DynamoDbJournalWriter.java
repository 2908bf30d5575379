package io.tributary.dynamodb;

import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.dynamodb.DynamoDbErrorClassifier.Verdict;
import io.tributary.event.ChangeEvent;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writes each change as one journal item with BatchWriteItem (up to 25 puts a request). Idempotent
 * at-least-once: an item's key and content follow from its change alone, so writing a change twice
 * (after a restore, or a retried batch that had landed) leaves one identical item. Order does not
 * matter, since every change has its own key, so batches go out concurrently.
 *
 * <p>Unprocessed items come back and are sent again with exponential backoff, as are throttled or
 * failed batches. A batch DynamoDB refuses as invalid is split into single puts so only the item at
 * fault becomes a dead letter. Buffer and dispatch run on the task thread; completions and retries
 * run on SDK and retry threads and touch only the in-flight count, dead letters and the failure,
 * under {@code outcomes.lock}. {@link #flush} (before every checkpoint barrier and at end of input) returns
 * only when nothing is buffered or in flight, so a completed checkpoint covers every item before it.
 */
public final class DynamoDbJournalWriter implements SinkWriter<ChangeEvent> {
    static final String DESTINATION = "dynamodb-journal";

    private final DynamoDbJournalSettings settings;
    private final DynamoDbJournalItems items;
    private final DynamoDbAsyncClient client;
    private final DynamoDbJournalMetrics metrics;
    private final ProcessingTimeService timers;
    /** Keyed by row and position: a change delivered twice before a flush is one put (a batch may not repeat a key). */
    private final LinkedHashMap<String, Pending> buffer = new LinkedHashMap<>();

    private final ScheduledExecutorService retryScheduler;
    private boolean timerPending;

    private final DynamoDbWriteOutcomes outcomes;
    private int inFlight;

    /** {@code timers} may be null (tests): then only full batches and flush trigger writes. */
    public DynamoDbJournalWriter(
            DynamoDbJournalSettings settings,
            DynamoDbAsyncClient client,
            DeadLetterHandler deadLetterHandler,
            DynamoDbJournalMetrics metrics,
            ProcessingTimeService timers) {
        this.settings = settings;
        this.items = new DynamoDbJournalItems(settings);
        this.client = client;
        this.outcomes = new DynamoDbWriteOutcomes(DESTINATION, deadLetterHandler, metrics.deadLetters());
        this.metrics = metrics;
        this.timers = timers;
        this.retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dynamodb-journal-retry");
            t.setDaemon(true);
            return t;
        });
    }

    /** A change and its item. */
    private static final class Pending {
        final ChangeEvent event;
        final Map<String, AttributeValue> item;

        Pending(ChangeEvent event, Map<String, AttributeValue> item) {
            this.event = event;
            this.item = item;
        }
    }

    @Override
    public void write(ChangeEvent event, Context context) throws IOException, InterruptedException {
        outcomes.throwIfFailed();
        if (!event.isPrimaryCopy()) {
            return; // the copies of a fanned-out TRUNCATE are one change: copy 0 writes its item
        }
        Map<String, AttributeValue> item;
        try {
            item = items.item(event);
        } catch (DynamoDbUnmappableException e) {
            outcomes.deadLetter(event, e.getMessage());
            outcomes.handDeadLetters();
            return;
        }
        buffer.put(key(item), new Pending(event, item));
        if (buffer.size() >= DynamoDbJournalSettings.MAX_BATCH) {
            dispatch(false);
        } else if (timers != null && !timerPending) {
            timerPending = true;
            timers.registerTimer(
                    timers.getCurrentProcessingTime() + settings.maxBufferTime().toMillis(), t -> {
                        timerPending = false;
                        dispatch(true);
                    });
        }
        outcomes.handDeadLetters();
    }

    private static String key(Map<String, AttributeValue> item) {
        return item.get(DynamoDbJournalLayout.ROW).s()
                + '\u0000'
                + item.get(DynamoDbJournalLayout.POSITION).s();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        dispatch(true);
        synchronized (outcomes.lock) {
            while (!outcomes.failed() && inFlight > 0) {
                outcomes.lock.wait(100);
            }
        }
        outcomes.throwIfFailed();
        outcomes.handDeadLetters();
    }

    /** Sends full batches (and the partial rest if {@code all}), waiting while the in-flight limit is reached. */
    private void dispatch(boolean all) throws IOException, InterruptedException {
        outcomes.throwIfFailed();
        while (buffer.size() >= DynamoDbJournalSettings.MAX_BATCH || (all && !buffer.isEmpty())) {
            synchronized (outcomes.lock) {
                while (!outcomes.failed() && inFlight >= settings.maxInFlightBatches()) {
                    outcomes.lock.wait(100);
                }
                if (outcomes.failed()) {
                    break;
                }
                inFlight++;
            }
            List<Pending> batch = new ArrayList<>(DynamoDbJournalSettings.MAX_BATCH);
            Iterator<Pending> it = buffer.values().iterator();
            while (it.hasNext() && batch.size() < DynamoDbJournalSettings.MAX_BATCH) {
                batch.add(it.next());
                it.remove();
            }
            send(batch, 0);
        }
        outcomes.handDeadLetters();
        outcomes.throwIfFailed();
    }

    /** Sends one batch; the caller has counted it in flight, and {@link #finish} uncounts it. */
    private void send(List<Pending> batch, int attempt) {
        List<WriteRequest> puts = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            puts.add(WriteRequest.builder()
                    .putRequest(PutRequest.builder().item(p.item).build())
                    .build());
        }
        CompletableFuture<BatchWriteItemResponse> call;
        try {
            call = client.batchWriteItem(b -> b.requestItems(Map.of(settings.table(), puts)));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((response, error) -> {
            try {
                completed(batch, attempt, response, error);
            } catch (RuntimeException e) {
                outcomes.fail(e);
                finish();
            }
        });
    }

    private void completed(List<Pending> batch, int attempt, BatchWriteItemResponse response, Throwable error) {
        if (error == null) {
            List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(settings.table(), List.of());
            metrics.itemsWritten().inc(batch.size() - unprocessed.size());
            metrics.batchesWritten().inc();
            if (unprocessed.isEmpty()) {
                finish();
                return;
            }
            Map<String, Pending> byKey = new LinkedHashMap<>();
            batch.forEach(p -> byKey.put(key(p.item), p));
            List<Pending> rest = new ArrayList<>();
            for (WriteRequest w : unprocessed) {
                Pending p = byKey.get(key(w.putRequest().item()));
                if (p == null) {
                    throw new DynamoDbSinkException(
                            "DynamoDB returned an unprocessed journal item the batch did not" + " hold ("
                                    + key(w.putRequest().item()) + "): a bug, please report it",
                            null);
                }
                rest.add(p);
            }
            metrics.unprocessedRetried().inc(rest.size());
            retry(rest, attempt, "DynamoDB left " + rest.size() + " of " + batch.size() + " items unprocessed", null);
            return;
        }
        Verdict verdict = DynamoDbErrorClassifier.classify(error, settings.table());
        switch (verdict.kind()) {
            case RETRYABLE:
                metrics.retries().inc();
                retry(batch, attempt, verdict.message(), error);
                return;
            case DEAD_LETTER:
                if (batch.size() > 1) {
                    // BatchWriteItem refuses the whole request for one bad item: find it by sending each alone
                    synchronized (outcomes.lock) {
                        inFlight += batch.size() - 1;
                    }
                    for (Pending p : batch) {
                        send(List.of(p), 0);
                    }
                    return;
                }
                outcomes.deadLetter(batch.get(0).event, verdict.message());
                finish();
                return;
            default:
                outcomes.fail(new DynamoDbSinkException(verdict.message(), error));
                finish();
        }
    }

    private void retry(List<Pending> batch, int attempt, String why, Throwable error) {
        if (attempt >= settings.maxRetries()) {
            outcomes.fail(new DynamoDbSinkException(
                    "DynamoDB journal table " + settings.table() + ": " + why + " still after "
                            + settings.maxRetries()
                            + " retries: raise the table's capacity or the journal's max-retries, or"
                            + " lower its max-in-flight-batches",
                    error));
            finish();
            return;
        }
        retryScheduler.schedule(() -> send(batch, attempt + 1), backoffMillis(attempt), TimeUnit.MILLISECONDS);
    }

    private long backoffMillis(int attempt) {
        long base = settings.initialBackoff().toMillis() << Math.min(attempt, 20);
        long capped = Math.min(settings.maxBackoff().toMillis(), base);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1); // equal jitter
    }

    private void finish() {
        synchronized (outcomes.lock) {
            inFlight--;
            outcomes.lock.notifyAll();
        }
    }

    @Override
    public void close() throws Exception {
        retryScheduler.shutdownNow();
        try {
            client.close();
        } finally {
            outcomes.close();
        }
    }
}
