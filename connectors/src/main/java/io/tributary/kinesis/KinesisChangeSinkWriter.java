package io.tributary.kinesis;

import io.tributary.deadletter.DeadLetter;
import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.deadletter.DeadLetterMetrics;
import io.tributary.event.ChangeEvent;
import io.tributary.kinesis.KinesisPendingRecords.Entry;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Puts change events on a Kinesis stream with PutRecords, keeping per-row order when a call is
 * throttled or partially fails.
 *
 * <p>Why hand-written: Flink's {@code KinesisStreamsSink} (and the {@code AsyncSinkWriter} it is
 * built on) puts failed entries back into its buffer and may already have a later record of the
 * same key in the same or another in-flight request, so a retry can land after a newer change.
 * Even with one request in flight, one PutRecords batch may hold two records of a key, the first
 * failing and the second succeeding. Here {@link KinesisPendingRecords} lets at most one record
 * per partition key be in flight or backing off; a failed entry stays at the head of its key's
 * queue and is retried before anything later of that key is sent. Different keys still share
 * batches (up to 500 records / 5 MiB) and up to {@code maxInFlightRequests} concurrent requests.
 *
 * <p>At-least-once: {@link #flush(boolean)}, which Flink calls before every checkpoint barrier,
 * waits until every buffered record is stored, so a checkpoint never covers an unsent record. A
 * record over 1 MiB, or an event that cannot be written as JSON, goes to the
 * {@link DeadLetterHandler}. Fatal errors ({@link KinesisErrorClassifier}) fail the job on the
 * next {@code write} or {@code flush}.
 *
 * <p>Aggregation (off by default, {@link KinesisSinkSettings#aggregated()}): records wait per hash-key
 * bucket in a {@link KinesisRecordAggregator} and go out in the KPL aggregation format, one aggregated
 * record per bucket at a time, which then counts as one key in {@link KinesisPendingRecords}; a record
 * that does not fit an aggregated record alone goes to the dead letters like one over 1 MiB.
 *
 * <p>Threads: {@code write} and {@code flush} run on the task thread; PutRecords completions and
 * backoff timers run on one private scheduler thread; both take {@link #lock}.
 */
final class KinesisChangeSinkWriter implements SinkWriter<ChangeEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisChangeSinkWriter.class);

    private final KinesisSinkSettings settings;
    private final KinesisAsyncClient client;
    private final DeadLetterHandler deadLetters;
    private final ChangeEventJsonSerializer serializer;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private final KinesisPendingRecords pending = new KinesisPendingRecords();
    /** Null unless records are put in the KPL aggregation format. */
    private final KinesisRecordAggregator aggregator;

    private final Counter recordsSent;
    private final Counter bytesSent;
    private final Counter retries;
    private final Counter deadLettered;
    private int inFlightRequests;
    private KinesisSinkException fatal;

    KinesisChangeSinkWriter(
            KinesisSinkSettings settings,
            KinesisAsyncClient client,
            DeadLetterHandler deadLetters,
            int subtaskId,
            SinkWriterMetricGroup metrics)
            throws IOException {
        this.settings = settings;
        this.client = client;
        this.deadLetters = deadLetters;
        this.serializer = new ChangeEventJsonSerializer(settings.format());
        this.aggregator = settings.aggregated()
                ? new KinesisRecordAggregator(
                        new KinesisAggregationBuckets(settings.aggregationBuckets()),
                        KinesisSinkSettings.MAX_BYTES_PER_RECORD)
                : null;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kinesis-sink-" + settings.streamName() + "-" + subtaskId);
            t.setDaemon(true);
            return t;
        });
        this.recordsSent = metrics.getNumRecordsSendCounter();
        this.bytesSent = metrics.getNumBytesSendCounter();
        // Managed Service for Apache Flink forwards only metrics under a 'kinesisanalytics' group to CloudWatch.
        MetricGroup service = metrics.addGroup("kinesisanalytics");
        this.retries = service.counter("kinesisRetriedRecords");
        this.deadLettered = DeadLetterMetrics.register(metrics, "kinesis");
        service.gauge("kinesisBufferedRecords", this::bufferedRecords);
        try {
            deadLetters.open(subtaskId);
        } catch (Exception e) {
            throw new IOException("could not open the Kinesis sink's dead-letter handler", e);
        }
    }

    @Override
    public void write(ChangeEvent event, Context context) throws IOException, InterruptedException {
        byte[] data;
        try {
            data = serializer.serialize(event);
        } catch (RuntimeException e) {
            deadLetter(DeadLetter.of(event, "kinesis", "cannot be written as JSON: " + e.getMessage()));
            return;
        }
        String partitionKey = KinesisPartitionKeys.of(event);
        long size = data.length + (long) partitionKey.getBytes(StandardCharsets.UTF_8).length;
        if (size > KinesisSinkSettings.MAX_BYTES_PER_RECORD) {
            deadLetter(DeadLetter.of(
                    event,
                    "kinesis",
                    "record of " + size + " bytes exceeds the Kinesis limit of "
                            + KinesisSinkSettings.MAX_BYTES_PER_RECORD
                            + " bytes per record (data plus partition key)"));
            return;
        }
        long aggregatedSize = aggregator == null ? 0 : aggregator.sizeAlone(partitionKey, data);
        if (aggregatedSize > KinesisSinkSettings.MAX_BYTES_PER_RECORD) {
            deadLetter(DeadLetter.of(
                    event,
                    "kinesis",
                    "record of " + aggregatedSize
                            + " bytes as an aggregated record exceeds the Kinesis limit of "
                            + KinesisSinkSettings.MAX_BYTES_PER_RECORD
                            + " bytes per record (data plus partition key)"));
            return;
        }
        synchronized (lock) {
            while (held() >= settings.maxBufferedRecords()) {
                throwIfFailed();
                lock.wait(100);
            }
            throwIfFailed();
            if (aggregator != null) {
                aggregator.add(partitionKey, data);
            } else {
                pending.add(new Entry(partitionKey, data));
            }
            dispatch();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        try {
            deadLetters.flush();
        } catch (Exception e) {
            throw new IOException("the Kinesis sink's dead-letter handler could not flush", e);
        }
        synchronized (lock) {
            while (held() > 0) {
                throwIfFailed();
                lock.wait(100);
            }
            throwIfFailed();
        }
    }

    private void deadLetter(DeadLetter letter) throws IOException {
        LOG.warn("Kinesis sink dead letter: {}", letter);
        deadLettered.inc();
        try {
            deadLetters.handle(letter);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the Kinesis sink's dead-letter handler failed on " + letter, e);
        }
    }

    private int bufferedRecords() {
        synchronized (lock) {
            return held();
        }
    }

    /** Change records not yet stored: waiting to be aggregated, queued, in flight, backing off. */
    private int held() {
        return pending.size() + (aggregator == null ? 0 : aggregator.size());
    }

    private void throwIfFailed() {
        if (fatal != null) {
            throw fatal;
        }
    }

    /** Sends batches of ready keys while requests may be in flight; caller holds the lock. */
    private void dispatch() {
        if (aggregator != null && fatal == null && inFlightRequests < settings.maxInFlightRequests()) {
            aggregator.sealInto(pending);
        }
        while (fatal == null && inFlightRequests < settings.maxInFlightRequests() && pending.hasReady()) {
            List<Entry> batch = pending.nextBatch(settings.maxBatchRecords(), settings.maxBatchBytes());
            inFlightRequests++;
            send(batch);
        }
    }

    private void send(List<Entry> batch) {
        List<PutRecordsRequestEntry> records = new ArrayList<>(batch.size());
        for (Entry e : batch) {
            records.add(PutRecordsRequestEntry.builder()
                    .partitionKey(e.partitionKey)
                    .explicitHashKey(e.explicitHashKey)
                    .data(SdkBytes.fromByteArrayUnsafe(e.data))
                    .build());
        }
        PutRecordsRequest request = PutRecordsRequest.builder()
                .streamName(settings.streamName())
                .records(records)
                .build();
        CompletableFuture<PutRecordsResponse> response;
        try {
            response = client.putRecords(request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenCompleteAsync((r, error) -> completed(batch, r, error), scheduler);
    }

    private void completed(List<Entry> batch, PutRecordsResponse response, Throwable error) {
        synchronized (lock) {
            inFlightRequests--;
            if (error != null) {
                String fatalMessage = KinesisErrorClassifier.fatalMessage(error, settings.streamName());
                if (fatalMessage != null) {
                    fail(fatalMessage, KinesisErrorClassifier.unwrap(error));
                } else {
                    String reason = String.valueOf(KinesisErrorClassifier.unwrap(error));
                    for (Entry e : batch) {
                        retryLater(e, reason);
                    }
                }
            } else if (response.records().size() != batch.size()) {
                for (Entry e : batch) {
                    retryLater(
                            e,
                            "PutRecords answered " + response.records().size() + " results for " + batch.size()
                                    + " records");
                }
            } else {
                List<PutRecordsResultEntry> results = response.records();
                for (int i = 0; i < batch.size(); i++) {
                    Entry e = batch.get(i);
                    String code = results.get(i).errorCode();
                    if (code == null) {
                        pending.succeeded(e);
                        recordsSent.inc(e.records);
                        bytesSent.inc(e.data.length);
                    } else if (KinesisErrorClassifier.isRetryableEntryError(code)) {
                        retryLater(e, code + ": " + results.get(i).errorMessage());
                    } else {
                        fail(
                                "Kinesis rejected a record of key " + e.partitionKey + " on stream '"
                                        + settings.streamName() + "' with " + code + ": "
                                        + results.get(i).errorMessage(),
                                null);
                    }
                }
            }
            dispatch();
            lock.notifyAll();
        }
    }

    /** Keeps the entry at its key's head, busy, and frees the key again after a backoff. */
    private void retryLater(Entry e, String reason) {
        e.attempts++;
        retries.inc();
        if (e.attempts >= settings.maxAttempts()) {
            fail(
                    "gave up on a record of key " + e.partitionKey + " for Kinesis stream '" + settings.streamName()
                            + "' after " + e.attempts + " attempts (last error: " + reason
                            + "): add shards to the stream"
                            + " or raise the sink's max attempts",
                    null);
            return;
        }
        long delay = backoffMillis(e.attempts);
        LOG.debug("retrying a record of key {} in {} ms after: {}", e.partitionKey, delay, reason);
        scheduler.schedule(
                () -> {
                    synchronized (lock) {
                        pending.release(e);
                        dispatch();
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    /** Exponential backoff from the initial delay, capped, with jitter in its upper half. */
    private long backoffMillis(int attempts) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long delay = initial << Math.min(attempts - 1, 20);
        delay = Math.min(Math.max(delay, initial), max);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    private void fail(String message, Throwable cause) {
        if (fatal == null) {
            LOG.error("Kinesis sink failed: {}", message, cause);
            fatal = new KinesisSinkException(message, cause);
        }
        lock.notifyAll();
    }

    @Override
    public void close() throws Exception {
        scheduler.shutdownNow();
        try {
            client.close();
        } finally {
            deadLetters.close();
        }
    }
}
