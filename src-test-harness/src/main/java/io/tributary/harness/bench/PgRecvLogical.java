package io.tributary.harness.bench;

import io.tributary.harness.standin.PostgresStandIn;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * PostgreSQL's own slot reader, {@code pg_recvlogical}, as a second figure: a C client that
 * writes to /dev/null, so it shows the server's decoding limit rather than a Java client's.
 */
final class PgRecvLogical {
    private PgRecvLogical() {}

    /** The binary from the newest /usr/lib/postgresql/N/bin, else from PATH, if any. */
    static Optional<String> find() {
        Path lib = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin/pg_recvlogical"))
                        .filter(Files::isExecutable)
                        .max(Comparator.comparingInt(PgRecvLogical::majorVersion));
                if (newest.isPresent()) {
                    return Optional.of(newest.get().toString());
                }
            } catch (IOException e) {
                // fall through to PATH
            }
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, "pg_recvlogical");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static int majorVersion(Path binary) {
        try {
            return Integer.parseInt(binary.getParent().getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Streams {@code slot} to /dev/null until {@code endLsn} and returns the wall time, process
     * start included (a few milliseconds).
     */
    static Duration drain(
            String binary,
            PostgresStandIn pg,
            String db,
            String slot,
            String publication,
            String endLsn,
            Duration deadline)
            throws IOException, InterruptedException {
        List<String> command = List.of(
                binary,
                "-h",
                pg.host(),
                "-p",
                Integer.toString(pg.port()),
                "-U",
                PostgresStandIn.USER,
                "-d",
                db,
                "--slot",
                slot,
                "--start",
                "--no-loop",
                "--endpos",
                endLsn,
                "-o",
                "proto_version=1",
                "-o",
                "publication_names=" + publication,
                "-f",
                "/dev/null");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", PostgresStandIn.PASSWORD);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "pg_recvlogical did not reach " + endLsn + " within " + deadline + "; use a smaller N");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pg_recvlogical exited with " + p.exitValue() + ": "
                    + output.lines().collect(Collectors.joining(" | ")));
        }
        return elapsed;
    }
}
