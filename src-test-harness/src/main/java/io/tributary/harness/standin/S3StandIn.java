package io.tributary.harness.standin;

import io.tributary.harness.ChildProcesses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible endpoint on a free loopback port: Adobe S3Mock run in its own JVM, because it is
 * a Spring Boot application whose dependencies must not mix with Flink's on the test classpath.
 *
 * <p>Its classpath is resolved by the build (module {@code src-test-harness/s3mock-runtime} writes
 * {@code target/s3mock.classpath}); the file is found through the system property
 * {@value #CLASSPATH_FILE_PROPERTY}, which the harness's surefire configuration sets.
 */
public final class S3StandIn implements AutoCloseable {
    public static final String CLASSPATH_FILE_PROPERTY = "tributary.s3mock.classpath.file";
    public static final String ACCESS_KEY = "tributary";
    public static final String SECRET_KEY = "tributary-secret";
    private static final String MAIN_CLASS = "com.adobe.testing.s3mock.S3MockApplication";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path root;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private S3StandIn(Process process, int port, Path root) {
        this.process = process;
        this.port = port;
        this.root = root;
    }

    /** Starts S3Mock and waits until it answers; buckets can be created now or later. */
    public static S3StandIn start(String... buckets) {
        try {
            String classpath = Files.readString(classpathFile()).trim();
            Path root = Files.createTempDirectory("tributary-s3");
            Path log = root.resolveSibling(root.getFileName() + ".log");
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-cp",
                    classpath,
                    MAIN_CLASS,
                    "--com.adobe.testing.s3mock.httpPort=" + port,
                    "--server.port=" + freePort(),
                    "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + root,
                    "--spring.main.banner-mode=off"));
            if (buckets.length > 0) {
                command.add("--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", buckets));
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ChildProcesses.stopOnExit(process);
            S3StandIn s3 = new S3StandIn(process, port, root);
            s3.awaitReady(log);
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Mock", e);
        }
    }

    private static Path classpathFile() {
        String file = System.getProperty(CLASSPATH_FILE_PROPERTY, "s3mock-runtime/target/s3mock.classpath");
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("S3Mock classpath file " + path.toAbsolutePath() + " is missing: build"
                    + " the module src-test-harness/s3mock-runtime first (run Maven from the root with -am)");
        }
        return path;
    }

    private void awaitReady(Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Mock exited with " + process.exitValue() + "; its log " + log + " ends with:\n" + tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3Mock", e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3Mock", e);
            }
        }
        close();
        throw new IllegalStateException("S3Mock did not answer on " + endpoint() + " within " + START_TIMEOUT
                + "; its log " + log + " ends with:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Creates a bucket (S3 CreateBucket; S3Mock checks no signature). */
    public void createBucket(String bucket) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket))
                            .PUT(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        "creating bucket " + bucket + " failed: " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The directory S3Mock stores objects in. */
    public Path storageRoot() {
        return root;
    }

    /** The Flink configuration for flink-s3-fs-hadoop to use this endpoint. */
    public Map<String, String> flinkConfig() {
        return Map.of(
                "s3.endpoint",
                endpoint(),
                "s3.path.style.access",
                "true",
                "s3.access-key",
                ACCESS_KEY,
                "s3.secret-key",
                SECRET_KEY,
                "s3.connection.ssl.enabled",
                "false");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
