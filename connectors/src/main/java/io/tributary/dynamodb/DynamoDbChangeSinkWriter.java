package io.tributary.dynamodb;

import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.dynamodb.DynamoDbErrorClassifier.Verdict;
import io.tributary.event.ChangeEvent;
import io.tributary.event.TableId;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writes changes into DynamoDB as version-fenced conditional writes, coalescing changes to one
 * row between flushes into one write of the newest.
 *
 * <p>Hand-written because Flink's DynamoDB sink uses BatchWriteItem, which cannot carry a
 * condition, and its AsyncSinkWriter may have two writes of one key in flight at once. Here a key
 * is never sent while an earlier write of it is still in flight, so a hard DELETE cannot overtake
 * an older PUT of the same row and let it resurrect the item. Buffer and dispatch run on the task
 * thread; completions and retries run on SDK and retry threads and only touch the in-flight set,
 * the dead-letter queue and the failure, all under {@code outcomes.lock}. {@link #flush} (called before
 * every checkpoint barrier and at end of input) returns only when nothing is buffered or in flight.
 */
public final class DynamoDbChangeSinkWriter implements SinkWriter<ChangeEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbChangeSinkWriter.class);
    static final String DESTINATION = "dynamodb";

    private final DynamoDbSinkSettings settings;
    private final DynamoDbAsyncClient client;
    private final DynamoDbSinkMetrics metrics;
    private final ProcessingTimeService timers;
    private final Map<TableId, DynamoDbItemMapper> mappers = new HashMap<>();
    private final LinkedHashMap<String, ChangeEvent> buffer = new LinkedHashMap<>();
    private final ScheduledExecutorService retryScheduler;
    private boolean timerPending;

    private final DynamoDbWriteOutcomes outcomes;
    private final Set<String> inFlightKeys = new HashSet<>();

    /** {@code timers} may be null (unit tests): then only size and flush trigger writes. */
    public DynamoDbChangeSinkWriter(
            DynamoDbSinkSettings settings,
            DynamoDbAsyncClient client,
            DeadLetterHandler deadLetterHandler,
            DynamoDbSinkMetrics metrics,
            ProcessingTimeService timers) {
        this.settings = settings;
        this.client = client;
        this.outcomes = new DynamoDbWriteOutcomes(DESTINATION, deadLetterHandler, metrics.deadLetters());
        this.metrics = metrics;
        this.timers = timers;
        settings.mappings().forEach((table, mapping) -> mappers.put(table, new DynamoDbItemMapper(mapping)));
        this.retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dynamodb-sink-retry");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(ChangeEvent event, Context context) throws IOException, InterruptedException {
        outcomes.throwIfFailed();
        if (!mappers.containsKey(event.table())) {
            metrics.unmappedSkipped().inc();
            return;
        }
        if (event.isTruncate()) {
            truncate(event);
            return;
        }
        String key = event.routingKey();
        ChangeEvent buffered = buffer.get(key);
        if (buffered == null) {
            buffer.put(key, event);
        } else if (event.isAfter(buffered.commitLsn(), buffered.changeLsn())) {
            buffer.put(key, event);
            metrics.writesCoalesced().inc();
        } else {
            metrics.staleWritesRejected().inc(); // an older change than one already waiting: it would lose anyway
        }
        if (buffer.size() >= settings.maxBufferedItems()) {
            dispatch();
        } else if (timers != null && !timerPending) {
            timerPending = true;
            timers.registerTimer(
                    timers.getCurrentProcessingTime() + settings.maxBufferTime().toMillis(), t -> {
                        timerPending = false;
                        dispatch();
                    });
        }
        outcomes.handDeadLetters();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        while (true) {
            dispatch();
            synchronized (outcomes.lock) {
                if (!outcomes.failed() && buffer.isEmpty() && inFlightKeys.isEmpty()) {
                    break;
                }
                if (!outcomes.failed() && !inFlightKeys.isEmpty()) {
                    outcomes.lock.wait(100);
                }
            }
            outcomes.throwIfFailed();
        }
        outcomes.handDeadLetters();
    }

    /**
     * A TRUNCATE (this subtask's copy): first every earlier write of this subtask lands, then the items
     * older than the TRUNCATE go ({@link DynamoDbTruncate}), or stay with a dead letter. Later writes are
     * newer than the TRUNCATE, so its version fence never removes them.
     */
    private void truncate(ChangeEvent truncate) throws IOException, InterruptedException {
        DynamoDbTableMapping mapping = mappers.get(truncate.table()).mapping();
        if (mapping.truncateMode() == DynamoDbTableMapping.TruncateMode.DEAD_LETTER) {
            if (truncate.snapshot()) {
                // a snapshot's baseline, no statement of the database: every first start has one per table
                if (truncate.isPrimaryCopy()) {
                    LOG.info(
                            "Snapshot baseline of {} at {} not applied to DynamoDB table {} (mapping"
                                    + " truncate=dead-letter): items of rows deleted before this snapshot stay",
                            truncate.table(),
                            ChangeEvent.formatLsn(truncate.commitLsn()),
                            mapping.targetTable());
                }
                return;
            }
            if (truncate.isPrimaryCopy()) {
                outcomes.deadLetter(
                        truncate,
                        "TRUNCATE of " + truncate.table() + " at "
                                + ChangeEvent.formatLsn(truncate.commitLsn()) + " was not applied: DynamoDB table "
                                + mapping.targetTable()
                                + " keeps the truncated rows' items (mapping truncate=dead-letter)."
                                + " Delete the items whose " + mapping.versionAttribute() + " is below "
                                + DynamoDbItemMapper.version(truncate.commitLsn(), truncate.changeLsn())
                                + " if the read model must follow");
                outcomes.handDeadLetters();
            }
            return;
        }
        flush(false);
        long started = System.nanoTime();
        DynamoDbTruncate.Result result = new DynamoDbTruncate(client, settings, metrics).run(truncate, mapping);
        metrics.truncatesApplied().inc();
        LOG.info(
                "TRUNCATE of {} at {} applied to DynamoDB table {} (copy {} of {}): {}, {} ms",
                truncate.table(),
                ChangeEvent.formatLsn(truncate.commitLsn()),
                mapping.targetTable(),
                truncate.truncateCopy() + 1,
                truncate.truncateCopies(),
                result,
                (System.nanoTime() - started) / 1_000_000L);
    }

    /** Sends every buffered change whose key has no write in flight, up to the in-flight limit. */
    private void dispatch() throws IOException, InterruptedException {
        outcomes.throwIfFailed();
        Iterator<Map.Entry<String, ChangeEvent>> it = buffer.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, ChangeEvent> entry = it.next();
            synchronized (outcomes.lock) {
                if (inFlightKeys.contains(entry.getKey())) {
                    continue; // sent after the earlier write of this key completes
                }
                while (!outcomes.failed() && inFlightKeys.size() >= settings.maxInFlightRequests()) {
                    outcomes.lock.wait(100);
                }
                if (outcomes.failed()) {
                    break;
                }
            }
            it.remove();
            DynamoDbConditionalWrite write;
            try {
                write = DynamoDbConditionalWrite.of(
                        entry.getValue(), mappers.get(entry.getValue().table()));
            } catch (DynamoDbUnmappableException e) {
                outcomes.deadLetter(entry.getValue(), e.getMessage());
                continue;
            }
            synchronized (outcomes.lock) {
                inFlightKeys.add(entry.getKey());
            }
            send(entry.getKey(), write, 0);
        }
        outcomes.handDeadLetters();
        outcomes.throwIfFailed();
    }

    private void send(String key, DynamoDbConditionalWrite write, int attempt) {
        CompletableFuture<?> call;
        try {
            call = write.send(client);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((response, error) -> completed(key, write, attempt, error));
    }

    private void completed(String key, DynamoDbConditionalWrite write, int attempt, Throwable error) {
        if (error == null) {
            (write.isHardDelete() ? metrics.itemsDeleted() : metrics.itemsWritten()).inc();
            finish(key);
            return;
        }
        Verdict verdict = DynamoDbErrorClassifier.classify(error, write.table());
        switch (verdict.kind()) {
            case STALE:
                metrics.staleWritesRejected().inc();
                finish(key);
                return;
            case RETRYABLE:
                if (attempt < settings.maxRetries()) {
                    metrics.retries().inc();
                    retryScheduler.schedule(
                            () -> send(key, write, attempt + 1), backoffMillis(attempt), TimeUnit.MILLISECONDS);
                    return;
                }
                outcomes.fail(new DynamoDbSinkException(
                        "DynamoDB write of " + write.event().routingKey() + " still failing after "
                                + settings.maxRetries() + " retries (" + verdict.message()
                                + "): raise the table's capacity"
                                + " or the sink's max retries, or lower its max in-flight requests",
                        error));
                finish(key);
                return;
            case DEAD_LETTER:
                outcomes.deadLetter(write.event(), verdict.message());
                finish(key);
                return;
            default:
                outcomes.fail(new DynamoDbSinkException(verdict.message(), error));
                finish(key);
        }
    }

    private long backoffMillis(int attempt) {
        long base = settings.initialBackoff().toMillis() << Math.min(attempt, 20);
        long capped = Math.min(settings.maxBackoff().toMillis(), base);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1); // equal jitter
    }

    private void finish(String key) {
        synchronized (outcomes.lock) {
            inFlightKeys.remove(key);
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
