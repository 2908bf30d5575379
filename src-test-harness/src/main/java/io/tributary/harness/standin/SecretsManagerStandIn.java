package io.tributary.harness.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for AWS Secrets Manager that answers {@code GetSecretValue} (AWS JSON 1.1 protocol, as the SDK's
 * client sends it: {@code POST /}, {@code X-Amz-Target: secretsmanager.GetSecretValue}, {@code {"SecretId": …}})
 * from secrets the test puts and changes. Signatures are not checked. Point the SDK at {@link #endpoint()}.
 */
public final class SecretsManagerStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    private SecretsManagerStandIn(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static SecretsManagerStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            SecretsManagerStandIn standIn = new SecretsManagerStandIn(server);
            server.createContext("/", standIn::handle);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Secrets Manager stand-in", e);
        }
    }

    /** The endpoint URL to give the SDK client ({@code endpointOverride}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Creates or changes a secret (its new AWSCURRENT value). */
    public void put(String arn, String value) {
        secrets.put(arn, value);
    }

    /** How many GetSecretValue calls were answered so far. */
    public int reads() {
        return reads.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                reply(exchange, 400, error("UnknownOperationException", "only GetSecretValue is served: " + target));
                return;
            }
            String id = request.path("SecretId").asText();
            String value = secrets.get(id);
            if (value == null) {
                reply(
                        exchange,
                        400,
                        error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
                return;
            }
            reads.incrementAndGet();
            ObjectNode body = JSON.createObjectNode();
            body.put("ARN", id);
            body.put("Name", id.substring(id.lastIndexOf(':') + 1));
            body.put(
                    "VersionId",
                    UUID.nameUUIDFromBytes(value.getBytes(StandardCharsets.UTF_8))
                            .toString());
            body.put("SecretString", value);
            body.putArray("VersionStages").add("AWSCURRENT");
            body.put("CreatedDate", System.currentTimeMillis() / 1000.0);
            reply(exchange, 200, body);
        }
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("__type", type);
        e.put("message", message);
        return e;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
