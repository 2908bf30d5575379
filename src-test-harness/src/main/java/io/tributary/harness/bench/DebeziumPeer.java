package io.tributary.harness.bench;

import io.tributary.harness.ChildProcesses;
import io.tributary.harness.standin.PostgresStandIn;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The peer of issue 12 item 6: a current Debezium embedded engine (module {@code bench-peer}) drains a
 * pgoutput slot into a discarding consumer in its own JVM, so its classes never meet Flink CDC's
 * Debezium 1.9.8. The module's build writes its dependency classpath to {@code target/peer.classpath};
 * this class puts the module's {@code target/classes} in front and starts
 * {@code io.tributary.peer.DebeziumPeerDrain} as a child process.
 */
public final class DebeziumPeer {
    /** The classpath file of module bench-peer; relative paths resolve against the working directory. */
    public static final String CLASSPATH_FILE_PROPERTY = "tributary.bench-peer.classpath.file";

    private static final String MAIN_CLASS = "io.tributary.peer.DebeziumPeerDrain";

    private DebeziumPeer() {}

    /** What the peer reported: its Debezium version, changes before the end LSN, times and CPU of its JVM. */
    public record Run(
            String debeziumVersion,
            long changes,
            Duration firstToLast,
            Duration startToEnd,
            Duration cpu,
            Duration startupCpu) {
        /** CPU seconds of the peer's whole JVM per million changes, JVM and engine start included. */
        public double cpuSecondsPerMillion() {
            return changes == 0 ? Double.NaN : cpu.toNanos() / 1e9 * 1_000_000.0 / changes;
        }
    }

    /** True when module bench-peer has been built, so the benchmark can run the peer. */
    public static boolean available() {
        return Files.isRegularFile(classpathFile());
    }

    /** Why the peer cannot run, for the benchmark's output. */
    static String missing() {
        return "bench-peer classpath file " + classpathFile().toAbsolutePath() + " is missing: build module bench-peer"
                + " first (mvn -B -pl bench-peer package; ./tributary bench builds it)";
    }

    /**
     * Drains {@code slot} (pgoutput, created before the changes were written) through {@code publication}
     * until the first change of {@code table} at or past {@code endLsn}, and returns the peer's report.
     * A change at or past {@code endLsn} must follow in the slot, or the peer waits until {@code deadline}.
     */
    public static Run drain(
            PostgresStandIn pg,
            String db,
            String slot,
            String publication,
            String table,
            String endLsn,
            Duration deadline)
            throws IOException, InterruptedException {
        Path cpFile = classpathFile();
        if (!Files.isRegularFile(cpFile)) {
            throw new IllegalStateException(missing());
        }
        Path classes = cpFile.toAbsolutePath().getParent().resolve("classes");
        String classpath =
                classes + File.pathSeparator + Files.readString(cpFile).trim();
        Path log = Files.createTempFile("tributary-bench-peer", ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                classpath,
                MAIN_CLASS,
                "--host",
                pg.host(),
                "--port",
                Integer.toString(pg.port()),
                "--user",
                PostgresStandIn.USER,
                "--password",
                PostgresStandIn.PASSWORD,
                "--database",
                db,
                "--slot",
                slot,
                "--publication",
                publication,
                "--table",
                table,
                "--end-lsn",
                endLsn,
                "--deadline-seconds",
                Long.toString(deadline.toSeconds()));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ChildProcesses.stopOnExit(p);
        if (!p.waitFor(deadline.toSeconds() + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "the Debezium peer did not stop within " + deadline + " + 60 s; log: " + log);
        }
        List<String> lines = Files.readAllLines(log);
        String result = lines.stream()
                .filter(l -> l.startsWith("PEER-RESULT "))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the Debezium peer exited with " + p.exitValue()
                        + " without a result; log " + log + ":\n" + tail(lines)));
        Map<String, String> f = fields(result);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the Debezium peer did not reach " + endLsn + " (saw " + f.get("changes")
                    + " changes; use a smaller N or a longer --deadline-seconds); log " + log + ":\n" + tail(lines));
        }
        Files.deleteIfExists(log);
        return new Run(
                f.get("debezium"),
                Long.parseLong(f.get("changes")),
                Duration.ofNanos(Long.parseLong(f.get("first_to_last_ns"))),
                Duration.ofNanos(Long.parseLong(f.get("start_to_end_ns"))),
                Duration.ofNanos(Long.parseLong(f.get("cpu_ns"))),
                Duration.ofNanos(Long.parseLong(f.get("startup_cpu_ns"))));
    }

    /** The figure's name in the benchmark's output, for {@code perTxn} rows per transaction. */
    static String name(int perTxn) {
        return "Debezium peer, first to last (" + perTxn + " rows/txn)";
    }

    /**
     * The peer's line: changes/s from its first to its last change (as Tributary's sequencer figure is
     * taken), with its JVM's CPU and its ratio to pg_recvlogical when {@code ceilings} holds that figure.
     */
    static CeilingFigure figure(Run run, long expected, int perTxn, List<CeilingFigure> ceilings) {
        StringBuilder c = new StringBuilder(String.format(
                Locale.ROOT,
                "Debezium %s embedded, own JVM, discarding consumer, pgoutput, no_data; %.2f s from JVM start;"
                        + " CPU %.1f s (%.1f s of it JVM and engine start)",
                run.debeziumVersion(),
                run.startToEnd().toNanos() / 1e9,
                run.cpu().toNanos() / 1e9,
                run.startupCpu().toNanos() / 1e9));
        List<BenchFigure.Value> extras = new ArrayList<>();
        extras.add(new BenchFigure.Value("peer CPU s per 1M changes", run.cpuSecondsPerMillion(), 1));
        ceilings.stream()
                .filter(f -> f.name().startsWith("slot drain, pg_recvlogical"))
                .findFirst()
                .ifPresent(recv -> extras.add(new BenchFigure.Value(
                        "x pg_recvlogical",
                        run.changes() / (run.firstToLast().toNanos() / 1e9) / recv.perSecond(),
                        2)));
        if (run.changes() != expected) {
            c.append("; COUNT MISMATCH: the peer saw ")
                    .append(run.changes())
                    .append(" of ")
                    .append(expected);
        }
        return new CeilingFigure(name(perTxn), run.changes(), "changes", run.firstToLast(), c.toString(), extras);
    }

    /** Tributary's sequencer rate over the peer's, when {@code figures} holds both for {@code perTxn}. */
    static Optional<BenchRatio> comparison(List<Object> figures, int perTxn) {
        return BenchRatio.of(
                figures,
                "catch-up vs peer (" + perTxn + " rows/txn)",
                "catch-up, sequencer (" + perTxn + " rows/txn)",
                name(perTxn),
                "x peer",
                "Tributary at the sequencer / Debezium peer; goal > 1");
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> f = new HashMap<>();
        for (String part : line.substring("PEER-RESULT ".length()).split(" ")) {
            int eq = part.indexOf('=');
            f.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return f;
    }

    private static String tail(List<String> lines) {
        return lines.stream().skip(Math.max(0, lines.size() - 40)).collect(Collectors.joining("\n"));
    }

    private static Path classpathFile() {
        return Path.of(System.getProperty(CLASSPATH_FILE_PROPERTY, "bench-peer/target/peer.classpath"));
    }
}
