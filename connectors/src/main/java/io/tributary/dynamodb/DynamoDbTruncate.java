package io.tributary.dynamodb;

import io.tributary.dynamodb.DynamoDbErrorClassifier.Verdict;
import io.tributary.dynamodb.DynamoDbTableMapping.KeyAttribute;
import io.tributary.event.ChangeEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Applies one TRUNCATE to one mapped DynamoDB table: scans it for the key and version attributes of
 * the items older than the TRUNCATE ({@code #v < :v}) and removes each with a DeleteItem fenced by
 * the same condition, or in tombstone delete mode overwrites it with a tombstone at the TRUNCATE's
 * version. The fence means a write newer than the TRUNCATE, landing while the scan runs, is never
 * removed; items without a version (not written by this sink) are left alone.
 *
 * <p>DynamoDB has no TRUNCATE of its own. The scan reads the whole table (read capacity is charged
 * for whole items, whatever the projection), and every sink subtask runs one, because each must
 * remove its own rows' older items after its own earlier writes landed and items do not say which
 * subtask wrote them; subtasks that come second find fewer items. Runs on the task thread; logs
 * progress every {@link #PROGRESS_INTERVAL_NANOS} for big tables.
 */
final class DynamoDbTruncate {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTruncate.class);
    static final String CONDITION = "#v < :v";
    static final int PAGE_SIZE = 1000;
    private static final long PROGRESS_INTERVAL_NANOS = 10_000_000_000L;

    private final DynamoDbAsyncClient client;
    private final DynamoDbSinkSettings settings;
    private final DynamoDbSinkMetrics metrics;

    DynamoDbTruncate(DynamoDbAsyncClient client, DynamoDbSinkSettings settings, DynamoDbSinkMetrics metrics) {
        this.client = client;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** What one TRUNCATE did to one table. */
    static final class Result {
        final long scanned;
        final long removed;
        final long kept;

        Result(long scanned, long removed, long kept) {
            this.scanned = scanned;
            this.removed = removed;
            this.kept = kept;
        }

        @Override
        public String toString() {
            return scanned + " older items found, " + removed + " removed, " + kept
                    + " already gone or rewritten by a newer change";
        }
    }

    /** Removes every item of {@code mapping}'s table older than {@code truncate}; returns when all are done. */
    Result run(ChangeEvent truncate, DynamoDbTableMapping mapping) throws InterruptedException {
        String table = mapping.targetTable();
        AttributeValue version = DynamoDbItemMapper.versionValue(truncate);
        Map<String, String> names = new LinkedHashMap<>();
        List<String> projection = new ArrayList<>();
        List<String> keyNames = new ArrayList<>();
        keyNames.add(mapping.partitionKey().name());
        mapping.sortKey().map(KeyAttribute::name).ifPresent(keyNames::add);
        for (String key : keyNames) {
            names.put("#k" + names.size(), key);
            projection.add("#k" + (names.size() - 1));
        }
        names.put("#v", mapping.versionAttribute());
        projection.add("#v");
        long started = System.nanoTime();
        long lastReport = started;
        long scanned = 0;
        long removed = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder()
                    .tableName(table)
                    .limit(PAGE_SIZE)
                    .projectionExpression(String.join(", ", projection))
                    .filterExpression(CONDITION)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":v", version));
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = scanWithRetries(scan.build(), table);
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                Map<String, AttributeValue> key = new HashMap<>(item);
                key.remove(mapping.versionAttribute());
                keys.add(key);
            }
            scanned += keys.size();
            removed += remove(keys, truncate, mapping, version);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (System.nanoTime() - lastReport > PROGRESS_INTERVAL_NANOS) {
                lastReport = System.nanoTime();
                LOG.info(
                        "TRUNCATE of {} in DynamoDB table {}: {} older items found, {} removed so far, {} s",
                        truncate.table(),
                        table,
                        scanned,
                        removed,
                        (lastReport - started) / 1_000_000_000L);
            }
        } while (start != null);
        metrics.itemsTruncated().inc(removed);
        return new Result(scanned, removed, scanned - removed);
    }

    private ScanResponse scanWithRetries(ScanRequest request, String table) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.scan(request).join();
            } catch (CompletionException | SdkException e) {
                Verdict verdict = DynamoDbErrorClassifier.classify(e, table);
                if (verdict.kind() != DynamoDbErrorClassifier.Kind.RETRYABLE || attempt >= settings.maxRetries()) {
                    throw new DynamoDbSinkException(
                            "TRUNCATE could not scan DynamoDB table " + table + " ("
                                    + verdict.message()
                                    + "): grant the job's role dynamodb:Scan on it, or raise its read"
                                    + " capacity or the sink's max retries",
                            e);
                }
                metrics.retries().inc();
                Thread.sleep(backoffMillis(attempt));
            }
        }
    }

    /** Sends the fenced removals of one page, at most max-in-flight at once, retrying throttled ones. */
    private long remove(
            List<Map<String, AttributeValue>> keys,
            ChangeEvent truncate,
            DynamoDbTableMapping mapping,
            AttributeValue version)
            throws InterruptedException {
        long removed = 0;
        List<Map<String, AttributeValue>> pending = keys;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            List<Map<String, AttributeValue>> retry = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += settings.maxInFlightRequests()) {
                List<Map<String, AttributeValue>> batch =
                        pending.subList(from, Math.min(pending.size(), from + settings.maxInFlightRequests()));
                List<CompletableFuture<?>> calls = new ArrayList<>(batch.size());
                for (Map<String, AttributeValue> key : batch) {
                    calls.add(send(key, truncate, mapping, version));
                }
                for (int i = 0; i < calls.size(); i++) {
                    try {
                        calls.get(i).join();
                        removed++;
                    } catch (CompletionException e) {
                        Verdict verdict = DynamoDbErrorClassifier.classify(e, mapping.targetTable());
                        switch (verdict.kind()) {
                            case STALE:
                                break; // already gone, or a newer change landed: both are what the fence is for
                            case RETRYABLE:
                                retry.add(batch.get(i));
                                break;
                            default:
                                throw new DynamoDbSinkException(
                                        "TRUNCATE of " + truncate.table() + " could not"
                                                + " remove an item of DynamoDB table " + mapping.targetTable() + ": "
                                                + verdict.message(),
                                        e);
                        }
                    }
                }
            }
            if (!retry.isEmpty()) {
                if (attempt >= settings.maxRetries()) {
                    throw new DynamoDbSinkException(
                            "TRUNCATE of " + truncate.table() + ": " + retry.size()
                                    + " removals from DynamoDB table " + mapping.targetTable()
                                    + " still throttled after "
                                    + settings.maxRetries()
                                    + " retries: raise the table's write capacity or the sink's max"
                                    + " retries",
                            null);
                }
                metrics.retries().inc(retry.size());
                Thread.sleep(backoffMillis(attempt));
            }
            pending = retry;
        }
        return removed;
    }

    private CompletableFuture<?> send(
            Map<String, AttributeValue> key,
            ChangeEvent truncate,
            DynamoDbTableMapping mapping,
            AttributeValue version) {
        Map<String, String> names = Map.of("#v", mapping.versionAttribute());
        Map<String, AttributeValue> values = Map.of(":v", version);
        try {
            if (mapping.deleteMode() == DynamoDbTableMapping.DeleteMode.TOMBSTONE) {
                Map<String, AttributeValue> tombstone = new LinkedHashMap<>(key);
                tombstone.put(mapping.versionAttribute(), version);
                tombstone.put(
                        mapping.deletedAttribute(),
                        AttributeValue.builder().bool(true).build());
                long expires = truncate.commitTimeMicros() / 1_000_000L
                        + mapping.ttlDuration().getSeconds();
                tombstone.put(mapping.ttlAttribute(), DynamoDbAttributeValues.n(Long.toString(expires)));
                return client.putItem(PutItemRequest.builder()
                        .tableName(mapping.targetTable())
                        .item(tombstone)
                        .conditionExpression(CONDITION)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build());
            }
            return client.deleteItem(DeleteItemRequest.builder()
                    .tableName(mapping.targetTable())
                    .key(key)
                    .conditionExpression(CONDITION)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private long backoffMillis(int attempt) {
        long base = settings.initialBackoff().toMillis() << Math.min(attempt, 20);
        long capped = Math.min(settings.maxBackoff().toMillis(), base);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}
