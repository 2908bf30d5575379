package io.tributary.harness.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP proxy in front of kinesalite that injects the failures real Kinesis produces
 * under load, so the sink's retry and ordering can be tested.
 *
 * <ul>
 *   <li>For a chosen fraction of PutRecords entries it answers, per entry, {@code ErrorCode}
 *       ProvisionedThroughputExceededException or InternalFailure and does <em>not</em> forward
 *       them; the other entries of the request are forwarded and their real results merged back in
 *       request order.</li>
 *   <li>For a chosen fraction of PutRecords requests it answers HTTP 400
 *       ProvisionedThroughputExceededException for the whole request, forwarding nothing.</li>
 * </ul>
 * Every other call is forwarded unchanged. Works with CBOR off (JSON bodies), which kinesalite needs
 * anyway. kinesalite does not verify signatures, so rewriting a body is fine.
 */
public final class KinesisFaultProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/x-amz-json-1.1";

    private final String target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Random random;
    private volatile double entryFailureRate;
    private volatile double throttleRate;
    private final AtomicLong failedEntries = new AtomicLong();
    private final AtomicLong throttledRequests = new AtomicLong();
    private final AtomicLong forwardedEntries = new AtomicLong();

    private KinesisFaultProxy(String target, double entryFailureRate, double throttleRate, long seed)
            throws IOException {
        this.target = target;
        this.entryFailureRate = entryFailureRate;
        this.throttleRate = throttleRate;
        this.random = new Random(seed);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts a proxy to {@code targetEndpoint} failing {@code entryFailureRate} of PutRecords entries
     * and throttling {@code throttleRate} of PutRecords requests.
     */
    public static KinesisFaultProxy start(String targetEndpoint, double entryFailureRate, double throttleRate) {
        try {
            return new KinesisFaultProxy(targetEndpoint, entryFailureRate, throttleRate, 20261123L);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kinesis fault proxy", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Changes the fault rates; 0, 0 makes the proxy transparent. */
    public void faults(double entryFailureRate, double throttleRate) {
        this.entryFailureRate = entryFailureRate;
        this.throttleRate = throttleRate;
    }

    public long failedEntries() {
        return failedEntries.get();
    }

    public long throttledRequests() {
        return throttledRequests.get();
    }

    public long forwardedEntries() {
        return forwardedEntries.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String operation = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            if (operation.endsWith(".PutRecords")) {
                putRecords(exchange, body);
            } else {
                HttpResponse<byte[]> response = forward(exchange, body);
                respond(
                        exchange,
                        response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(JSON_TYPE),
                        response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 500, JSON_TYPE, error("InternalFailure", "proxy interrupted"));
        } catch (RuntimeException | IOException e) {
            respond(exchange, 500, JSON_TYPE, error("InternalFailure", "proxy: " + e));
        } finally {
            exchange.close();
        }
    }

    private void putRecords(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        boolean[] fail;
        synchronized (random) {
            if (random.nextDouble() < throttleRate) {
                throttledRequests.incrementAndGet();
                respond(
                        exchange,
                        400,
                        JSON_TYPE,
                        error(
                                "ProvisionedThroughputExceededException",
                                "Rate exceeded for stream (injected by KinesisFaultProxy)"));
                return;
            }
            int n = JSON.readTree(body).path("Records").size();
            fail = new boolean[n];
            for (int i = 0; i < n; i++) {
                fail[i] = random.nextDouble() < entryFailureRate;
            }
        }
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ArrayNode records = (ArrayNode) request.get("Records");
        ArrayNode forwarded = JSON.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            if (!fail[i]) {
                forwarded.add(records.get(i));
            }
        }
        JsonNode forwardedResults = JSON.createArrayNode();
        int failed = records.size() - forwarded.size();
        if (forwarded.size() > 0) {
            request.set("Records", forwarded);
            HttpResponse<byte[]> response = forward(exchange, JSON.writeValueAsBytes(request));
            if (response.statusCode() != 200) {
                respond(exchange, response.statusCode(), JSON_TYPE, response.body());
                return;
            }
            JsonNode answer = JSON.readTree(response.body());
            forwardedResults = answer.get("Records");
            failed += answer.path("FailedRecordCount").asInt();
            forwardedEntries.addAndGet(forwarded.size());
        }
        ArrayNode merged = JSON.createArrayNode();
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            if (fail[i]) {
                failedEntries.incrementAndGet();
                merged.addObject()
                        .put("ErrorCode", i % 2 == 0 ? "ProvisionedThroughputExceededException" : "InternalFailure")
                        .put("ErrorMessage", "injected by KinesisFaultProxy");
            } else {
                merged.add(forwardedResults.get(next++));
            }
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("FailedRecordCount", failed);
        result.set("Records", merged);
        respond(exchange, 200, JSON_TYPE, JSON.writeValueAsBytes(result));
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of(
                "Content-Type",
                "X-Amz-Target",
                "Authorization",
                "X-Amz-Date",
                "X-Amz-Security-Token",
                "X-Amz-Content-Sha256")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] error(String type, String message) {
        return ("{\"__type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
