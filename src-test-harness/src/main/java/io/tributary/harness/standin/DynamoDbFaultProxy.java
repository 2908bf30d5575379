package io.tributary.harness.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on loopback in front of DynamoDB Local that answers a chosen share of write
 * requests (PutItem, DeleteItem, BatchWriteItem) the way DynamoDB does when it throttles (400
 * ProvisionedThroughputExceededException) or fails (500 InternalServerError), and counts requests
 * per operation, so tests can inject faults and measure how many writes reached the table.
 */
public final class DynamoDbFaultProxy implements AutoCloseable {
    private static final Set<String> FAULTABLE = Set.of("PutItem", "DeleteItem", "BatchWriteItem");
    private static final Set<String> NOT_FORWARDED =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String target;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Random random;
    private volatile double throttleShare;
    private volatile double errorShare;
    private volatile double unprocessedShare;
    private final AtomicLong leftUnprocessed = new AtomicLong();

    private DynamoDbFaultProxy(String target, long seed) throws IOException {
        this.target = target;
        this.random = new Random(seed);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A proxy to {@code target} (e.g. {@link DynamoDbStandIn#endpoint()}) that injects no faults yet. */
    public static DynamoDbFaultProxy start(String target, long seed) {
        try {
            return new DynamoDbFaultProxy(target, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the DynamoDB fault proxy", e);
        }
    }

    /** Answers {@code throttleShare} of writes with throttling and {@code errorShare} with a 500. */
    public DynamoDbFaultProxy faults(double throttleShare, double errorShare) {
        this.throttleShare = throttleShare;
        this.errorShare = errorShare;
        return this;
    }

    /**
     * Leaves {@code share} of the puts of each BatchWriteItem unprocessed, as DynamoDB does under load: those
     * are not forwarded and come back in the response's UnprocessedItems.
     */
    public DynamoDbFaultProxy unprocessed(double share) {
        this.unprocessedShare = share;
        return this;
    }

    /** Items returned as unprocessed so far. */
    public long leftUnprocessed() {
        return leftUnprocessed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "?" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            requests.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
            if (FAULTABLE.contains(operation)) {
                double dice;
                synchronized (random) {
                    dice = random.nextDouble();
                }
                if (dice < throttleShare) {
                    throttled.incrementAndGet();
                    reply(
                            exchange,
                            400,
                            "ProvisionedThroughputExceededException",
                            "The level of configured provisioned throughput for the table was exceeded (injected)");
                    return;
                }
                if (dice < throttleShare + errorShare) {
                    failed.incrementAndGet();
                    reply(exchange, 500, "InternalServerError", "Internal server error (injected)");
                    return;
                }
            }
            if ("BatchWriteItem".equals(operation) && unprocessedShare > 0) {
                forwardPart(exchange, body);
                return;
            }
            forward(exchange, body);
        }
    }

    /** Forwards a random part of a BatchWriteItem and answers the rest as UnprocessedItems. */
    private void forwardPart(HttpExchange exchange, byte[] body) throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ObjectNode kept = JSON.createObjectNode();
        ObjectNode unprocessed = JSON.createObjectNode();
        long held = 0;
        for (Iterator<Map.Entry<String, JsonNode>> tables =
                        request.get("RequestItems").fields();
                tables.hasNext(); ) {
            Map.Entry<String, JsonNode> table = tables.next();
            ArrayNode keep = JSON.createArrayNode();
            ArrayNode hold = JSON.createArrayNode();
            for (JsonNode write : table.getValue()) {
                boolean leave;
                synchronized (random) {
                    leave = random.nextDouble() < unprocessedShare;
                }
                (leave ? hold : keep).add(write);
            }
            if (keep.size() > 0) {
                kept.set(table.getKey(), keep);
            }
            if (hold.size() > 0) {
                unprocessed.set(table.getKey(), hold);
                held += hold.size();
            }
        }
        leftUnprocessed.addAndGet(held);
        if (kept.size() > 0) {
            request.set("RequestItems", kept);
            // the body changed, so its signature no longer matches: DynamoDB Local checks no signatures
            HttpResponse<byte[]> response = send(exchange, JSON.writeValueAsBytes(request));
            if (response.statusCode() != 200) {
                copyHeaders(response, exchange);
                send(exchange, response.statusCode(), response.body());
                return;
            }
            ObjectNode answer = (ObjectNode) JSON.readTree(response.body());
            JsonNode already = answer.get("UnprocessedItems");
            if (already != null) {
                already.fields().forEachRemaining(e -> {
                    ArrayNode all = unprocessed.has(e.getKey())
                            ? (ArrayNode) unprocessed.get(e.getKey())
                            : unprocessed.putArray(e.getKey());
                    e.getValue().forEach(all::add);
                });
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("UnprocessedItems", unprocessed);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        send(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpResponse<byte[]> response = send(exchange, body);
        copyHeaders(response, exchange);
        send(exchange, response.statusCode(), response.body());
    }

    private static void copyHeaders(HttpResponse<byte[]> response, HttpExchange exchange) {
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + target, e);
        }
        return response;
    }

    private static void reply(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        String json = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}";
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests seen for {@code operation} (PutItem, DeleteItem, …), faulted or forwarded. */
    public long requests(String operation) {
        AtomicLong n = requests.get(operation);
        return n == null ? 0 : n.get();
    }

    public long throttled() {
        return throttled.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
