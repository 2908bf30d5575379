package io.tributary.kinesis;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kinesis client that answers PutRecords after a short random delay, fails a fraction of the
 * entries (and now and then a whole request) with throttling, stores the rest per partition key,
 * and records every breach of the writer's promise: two records of one key in flight together.
 */
final class FlakyKinesisClient implements KinesisAsyncClient {
    private final double entryFailureRate;
    private final double requestFailureRate;
    private final Random random = new Random(42);
    private final ScheduledExecutorService responder = Executors.newScheduledThreadPool(4);
    private final Set<String> inFlightKeys = new HashSet<>();
    final Map<String, List<String>> stored = new LinkedHashMap<>();
    final List<String> violations = new ArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failedEntries = new AtomicInteger();
    final AtomicInteger maxConcurrentRequests = new AtomicInteger();
    private int concurrentRequests;
    volatile int largestBatch;

    FlakyKinesisClient(double entryFailureRate, double requestFailureRate) {
        this.entryFailureRate = entryFailureRate;
        this.requestFailureRate = requestFailureRate;
    }

    @Override
    public synchronized CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        requests.incrementAndGet();
        largestBatch = Math.max(largestBatch, request.records().size());
        maxConcurrentRequests.accumulateAndGet(++concurrentRequests, Math::max);
        for (PutRecordsRequestEntry e : request.records()) {
            if (!inFlightKeys.add(e.partitionKey())) {
                violations.add("key " + e.partitionKey() + " sent while a record of it was in flight");
            }
        }
        boolean throttleAll = random.nextDouble() < requestFailureRate;
        List<Boolean> fail = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            fail.add(throttleAll || random.nextDouble() < entryFailureRate);
        }
        CompletableFuture<PutRecordsResponse> result = new CompletableFuture<>();
        responder.schedule(() -> answer(request, fail, throttleAll, result), random.nextInt(3), TimeUnit.MILLISECONDS);
        return result;
    }

    private synchronized void answer(
            PutRecordsRequest request,
            List<Boolean> fail,
            boolean throttleAll,
            CompletableFuture<PutRecordsResponse> result) {
        concurrentRequests--;
        List<PutRecordsResultEntry> entries = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < request.records().size(); i++) {
            PutRecordsRequestEntry e = request.records().get(i);
            inFlightKeys.remove(e.partitionKey());
            if (fail.get(i)) {
                failed++;
                entries.add(PutRecordsResultEntry.builder()
                        .errorCode(i % 2 == 0 ? "ProvisionedThroughputExceededException" : "InternalFailure")
                        .errorMessage("injected")
                        .build());
            } else {
                stored.computeIfAbsent(e.partitionKey(), k -> new ArrayList<>())
                        .add(new String(
                                e.data().asByteArray(),
                                StandardCharsets.UTF_8)); // lenient: aggregated records are binary
                entries.add(PutRecordsResultEntry.builder()
                        .sequenceNumber("1")
                        .shardId("shardId-0")
                        .build());
            }
        }
        failedEntries.addAndGet(failed);
        if (throttleAll) {
            result.completeExceptionally(ProvisionedThroughputExceededException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("Rate exceeded for stream")
                            .build())
                    .statusCode(400)
                    .build());
        } else {
            result.complete(PutRecordsResponse.builder()
                    .failedRecordCount(failed)
                    .records(entries)
                    .build());
        }
    }

    synchronized Map<String, List<String>> storedCopy() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        stored.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        return copy;
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
        responder.shutdownNow();
    }
}
