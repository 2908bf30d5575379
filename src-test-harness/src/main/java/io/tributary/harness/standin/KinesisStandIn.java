package io.tributary.harness.standin;

import io.tributary.harness.ChildProcesses;
import io.tributary.kinesis.KinesisSdkClientProvider;
import io.tributary.kinesis.KinesisSinkSettings;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A Kinesis endpoint on a free loopback port: kinesalite 3.3.3 run by node as a child process.
 *
 * <p>The build installs kinesalite into {@code src-test-harness/target/kinesalite} (profile
 * {@code install-kinesalite} in the harness pom); its {@code cli.js} is found through the system
 * property {@value #CLI_PROPERTY}, which the harness's surefire configuration sets. Clients need
 * CBOR off, HTTP/1.1, an endpoint override and static credentials:
 * {@link KinesisSinkSettings.Builder#emulator(String)} sets all four.
 */
public final class KinesisStandIn implements AutoCloseable {
    public static final String CLI_PROPERTY = "tributary.kinesalite.cli";
    /** kinesalite ignores the region, but the SDK signs every request with one: local configs set this. */
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final KinesisAsyncClient client;

    private KinesisStandIn(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = KinesisSdkClientProvider.build(
                settingsFor(endpoint(), "tributary-admin").build(), 4);
    }

    /** Starts kinesalite (streams in memory) and waits until it answers. */
    public static KinesisStandIn start() {
        Path cli = cli();
        try {
            int port = freePort();
            Path log = Files.createTempFile("tributary-kinesalite", ".log");
            Process process = new ProcessBuilder(List.of(
                            System.getProperty("tributary.node", "node"),
                            cli.toString(),
                            "--port",
                            Integer.toString(port),
                            "--createStreamMs",
                            "10",
                            "--deleteStreamMs",
                            "10",
                            "--updateStreamMs",
                            "10",
                            "--shardLimit",
                            "1000"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ChildProcesses.stopOnExit(process);
            KinesisStandIn kinesis = new KinesisStandIn(process, port);
            kinesis.awaitReady(log);
            return kinesis;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start kinesalite with node: is node on the PATH?", e);
        }
    }

    private static Path cli() {
        Path cli = Path.of(
                System.getProperty(CLI_PROPERTY, "src-test-harness/target/kinesalite/node_modules/kinesalite/cli.js"));
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException("kinesalite is not installed at " + cli.toAbsolutePath() + ": run the"
                    + " harness build once (mvn -pl src-test-harness -am test-compile), which npm-installs it, or set -D"
                    + CLI_PROPERTY);
        }
        return cli;
    }

    private void awaitReady(Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "kinesalite exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                client.listStreams().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (Instant.now().isAfter(deadline)) {
                    close();
                    throw new IllegalStateException(
                            "kinesalite did not answer on port " + port + " within " + START_TIMEOUT + ":\n"
                                    + Files.readString(log),
                            notYet);
                }
                sleepQuietly(100);
            }
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Sink settings for {@code stream} on this emulator. */
    public KinesisSinkSettings.Builder settings(String stream) {
        return settingsFor(endpoint(), stream);
    }

    /** Sink settings for {@code stream} on any emulator endpoint (kinesalite or a {@link KinesisFaultProxy}). */
    public static KinesisSinkSettings.Builder settingsFor(String endpoint, String stream) {
        return KinesisSinkSettings.builder().streamName(stream).region(REGION).emulator(endpoint);
    }

    /** The admin client (CBOR off, HTTP/1.1); closed with the stand-in. */
    public KinesisAsyncClient client() {
        return client;
    }

    /** Creates a stream and waits until it is ACTIVE. */
    public void createStream(String name, int shards) {
        client.createStream(r -> r.streamName(name).shardCount(shards)).join();
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                StreamStatus status = client.describeStream(r -> r.streamName(name))
                        .join()
                        .streamDescription()
                        .streamStatus();
                if (status == StreamStatus.ACTIVE) {
                    return;
                }
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("stream " + name + " did not become ACTIVE within 30 s");
            }
            sleepQuietly(20);
        }
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kinesalite", e);
        }
    }

    /** The {@code sink.kinesis} property group of a job that writes {@code stream} on the stand-in at {@code endpoint}. */
    public static Map<String, String> sinkGroup(String endpoint, String stream) {
        return Map.of(
                "enabled", "true", "stream.name", stream, "endpoint", endpoint, "emulator", "true", "region", REGION);
    }
}
