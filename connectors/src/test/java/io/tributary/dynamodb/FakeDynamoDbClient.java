package io.tributary.dynamodb;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An in-memory DynamoDB that evaluates the sink's two conditions (the write fence, and a TRUNCATE's
 * {@code #v < :v}, which needs a stored version), scans in pages with a filter on the version,
 * answers on another thread, and fails whichever requests {@code failures} picks (by 1-based
 * request number).
 */
final class FakeDynamoDbClient implements DynamoDbAsyncClient {
    final Map<String, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final String versionAttribute;
    private final List<String> keyAttributes;
    volatile IntFunction<RuntimeException> failures = n -> null;

    FakeDynamoDbClient(String versionAttribute, String... keyAttributes) {
        this.versionAttribute = versionAttribute;
        this.keyAttributes = List.of(keyAttributes);
    }

    static DynamoDbException error(String code, int status) {
        return (DynamoDbException) DynamoDbException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(code)
                        .build())
                .build();
    }

    final AtomicInteger scans = new AtomicInteger();
    volatile int scanPageSize = 2;

    @Override
    public CompletableFuture<PutItemResponse> putItem(PutItemRequest r) {
        return answer(
                r.tableName(),
                r.item(),
                r.expressionAttributeValues().get(":v"),
                r.item(),
                truncating(r.conditionExpression()),
                PutItemResponse.builder().build());
    }

    @Override
    public CompletableFuture<DeleteItemResponse> deleteItem(DeleteItemRequest r) {
        return answer(
                r.tableName(),
                r.key(),
                r.expressionAttributeValues().get(":v"),
                null,
                truncating(r.conditionExpression()),
                DeleteItemResponse.builder().build());
    }

    private static boolean truncating(String condition) {
        return DynamoDbTruncate.CONDITION.equals(condition);
    }

    @Override
    public CompletableFuture<ScanResponse> scan(ScanRequest r) {
        scans.incrementAndGet();
        String below = r.expressionAttributeValues().get(":v").s();
        String after = r.hasExclusiveStartKey() ? r.tableName() + "|" + keyOf(r.exclusiveStartKey()) : null;
        return CompletableFuture.supplyAsync(
                () -> {
                    TreeMap<String, Map<String, AttributeValue>> sorted;
                    synchronized (items) {
                        sorted = new TreeMap<>(items);
                    }
                    List<Map<String, AttributeValue>> page = new ArrayList<>();
                    Map<String, AttributeValue> last = null;
                    boolean more = false;
                    for (Map.Entry<String, Map<String, AttributeValue>> e :
                            (after == null ? sorted : sorted.tailMap(after, false)).entrySet()) {
                        if (!e.getKey().startsWith(r.tableName() + "|")) {
                            continue;
                        }
                        if (page.size() == Math.min(scanPageSize, r.limit())) {
                            more = true;
                            break;
                        }
                        Map<String, AttributeValue> item = e.getValue();
                        last = item;
                        AttributeValue v = item.get(versionAttribute);
                        if (v != null && v.s() != null && v.s().compareTo(below) < 0) {
                            Map<String, AttributeValue> projected = new LinkedHashMap<>();
                            keyAttributes.forEach(k -> projected.put(k, item.get(k)));
                            projected.put(versionAttribute, v);
                            page.add(projected);
                        }
                    }
                    ScanResponse.Builder response = ScanResponse.builder().items(page);
                    if (more && last != null) {
                        Map<String, AttributeValue> lastKey = new LinkedHashMap<>();
                        for (String k : keyAttributes) {
                            lastKey.put(k, last.get(k));
                        }
                        response.lastEvaluatedKey(lastKey);
                    }
                    return response.build();
                },
                executor);
    }

    private <T> CompletableFuture<T> answer(
            String table,
            Map<String, AttributeValue> keySource,
            AttributeValue version,
            Map<String, AttributeValue> newItem,
            boolean truncating,
            T response) {
        int n = requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        Thread.sleep(1); // let requests overlap
                        RuntimeException failure = failures.apply(n);
                        if (failure != null) {
                            throw failure;
                        }
                        String key = table + "|" + keyOf(keySource);
                        synchronized (items) {
                            Map<String, AttributeValue> stored = items.get(key);
                            boolean versioned = stored != null && stored.containsKey(versionAttribute);
                            if (versioned && stored.get(versionAttribute).s().compareTo(version.s()) >= 0
                                    || truncating && !versioned) {
                                throw ConditionalCheckFailedException.builder()
                                        .message("stale")
                                        .build();
                            }
                            if (newItem == null) {
                                items.remove(key);
                            } else {
                                items.put(key, newItem);
                            }
                        }
                        return response;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                },
                executor);
    }

    private String keyOf(Map<String, AttributeValue> item) {
        StringBuilder s = new StringBuilder();
        for (String k : keyAttributes) {
            s.append(item.get(k)).append('|');
        }
        return s.toString();
    }

    Map<String, AttributeValue> item(String table, AttributeValue... key) {
        StringBuilder s = new StringBuilder(table + "|");
        for (AttributeValue k : key) {
            s.append(k).append('|');
        }
        return items.get(s.toString());
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
