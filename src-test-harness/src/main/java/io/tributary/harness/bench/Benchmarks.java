package io.tributary.harness.bench;

import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./tributary bench [ARGS]}: the figures in BENCHMARKS.md, each next to its ceiling measured
 * in the same run. Arguments (all optional):
 * <pre>
 *   --only a,b,…            snapshot, stream1, stream100, latency, kinesis, dynamodb (default: all)
 *   --snapshot-rows N       rows in orders for the snapshot figure (default 1,000,000)
 *   --changes N             changes per streaming catch-up figure (default 1,000,000)
 *   --latency-samples N     probes for commit-to-file latency (default 20)
 *   --kinesis-changes N     changes for the Kinesis throughput figures, and records put straight into
 *                           kinesalite for its own ceiling (default 200,000)
 *   --kinesis-rate N        steady changes/s for the Kinesis latency figure (default 5,000)
 *   --dynamodb-changes N    changes for the DynamoDB throughput figure (default 200,000)
 *   --hot-updates N         updates per key on 100 hot keys (default 1,000)
 *   --parallelism N         (default 2)   --checkpoint-seconds N (default 10)
 *   --runs N                run the selected benchmarks N times in a row (default 1); each run prints its
 *                           figures, then the summary prints every figure once as the median of its N
 *                           values with the spread (min–max); ratios are taken per run, then their median
 *   --deadline-seconds N    longest wait of any one step; past it a shortfall is reported (default 600)
 * </pre>
 */
public final class Benchmarks {
    private static final List<String> ALL =
            List.of("snapshot", "stream1", "stream100", "latency", "kinesis", "dynamodb");

    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args);
        defaultProperty(
                KinesisStandIn.CLI_PROPERTY, "src-test-harness/target/kinesalite/node_modules/kinesalite/cli.js");
        defaultProperty(
                DynamoDbStandIn.CLASSPATH_FILE_PROPERTY,
                "src-test-harness/dynamodb-local-runtime/target/dynamodb-local.classpath");
        defaultProperty(DynamoDbStandIn.NATIVE_DIR_PROPERTY, "src-test-harness/dynamodb-local-runtime/target/native");
        System.out.println(BenchMachine.describe());
        List<List<Object>> runs = new ArrayList<>();
        Path work = Files.createTempDirectory("tributary-bench");
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            BenchSettings s = new BenchSettings(pg, work, a.parallelism, a.checkpointInterval, a.deadline);
            for (int r = 1; r <= a.runs; r++) {
                List<Object> all = new ArrayList<>();
                runs.add(all);
                for (String which : a.only) {
                    long t = System.nanoTime();
                    System.out.println();
                    System.out.println("== " + which + (a.runs > 1 ? " (run " + r + " of " + a.runs + ")" : ""));
                    List<Object> figures;
                    try {
                        figures = run(which, s, a);
                    } catch (Exception | AssertionError e) {
                        e.printStackTrace(System.out);
                        figures = List.of("FAILED " + which + ": " + e);
                    }
                    figures.forEach(System.out::println);
                    System.out.printf("   (%s took %.0f s)%n", which, (System.nanoTime() - t) / 1e9);
                    all.addAll(figures);
                }
            }
        } finally {
            deleteQuietly(work);
        }
        System.out.println();
        System.out.println("Summary (" + String.join(" ", args) + ")");
        if (a.runs == 1) {
            runs.get(0).forEach(System.out::println);
        } else {
            System.out.println("every figure once: the median of its " + a.runs + " per-run values (min–max);"
                    + " ratios are taken per run, then their median; conditions are in each run's lines above");
            BenchSummary.lines(runs).forEach(System.out::println);
        }
        System.exit(0); // MiniCluster and SDK threads may linger
    }

    private static List<Object> run(String which, BenchSettings s, BenchArgs a) throws Exception {
        switch (which) {
            case "snapshot":
                return EventLogBenchmarks.snapshot(s, a.snapshotRows);
            case "stream1":
                return EventLogBenchmarks.streaming(s, a.changes, 1);
            case "stream100":
                return EventLogBenchmarks.streaming(s, a.changes, 100);
            case "latency":
                return LatencyBenchmark.commitToFile(s, a.latencySamples);
            case "kinesis":
                return KinesisBenchmark.run(s, a.kinesisChanges, a.kinesisRate);
            case "dynamodb":
                return DynamoDbBenchmark.run(s, a.dynamoDbChanges, a.hotUpdates);
            default:
                throw new IllegalArgumentException("unknown benchmark " + which + "; use one of " + ALL);
        }
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null && Files.exists(Path.of(value))) {
            System.setProperty(key, value);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted((x, y) -> y.getNameCount() - x.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The parsed command line. */
    static final class BenchArgs {
        Set<String> only = new LinkedHashSet<>(ALL);
        long snapshotRows = 1_000_000;
        long changes = 1_000_000;
        int latencySamples = 20;
        long kinesisChanges = 200_000;
        int kinesisRate = 5_000;
        long dynamoDbChanges = 200_000;
        int hotUpdates = 1_000;
        int parallelism = 2;
        int runs = 1;
        Duration checkpointInterval = Duration.ofSeconds(10);
        Duration deadline = Duration.ofSeconds(600);

        static BenchArgs parse(String[] args) {
            BenchArgs a = new BenchArgs();
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                if (v == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value; see BENCHMARKS.md");
                }
                switch (args[i++]) {
                    case "--only" -> a.only = new LinkedHashSet<>(Arrays.asList(v.split(",")));
                    case "--snapshot-rows" -> a.snapshotRows = Long.parseLong(v);
                    case "--changes" -> a.changes = Long.parseLong(v);
                    case "--latency-samples" -> a.latencySamples = Integer.parseInt(v);
                    case "--kinesis-changes" -> a.kinesisChanges = Long.parseLong(v);
                    case "--kinesis-rate" -> a.kinesisRate = Integer.parseInt(v);
                    case "--dynamodb-changes" -> a.dynamoDbChanges = Long.parseLong(v);
                    case "--hot-updates" -> a.hotUpdates = Integer.parseInt(v);
                    case "--parallelism" -> a.parallelism = Integer.parseInt(v);
                    case "--runs" -> a.runs = Integer.parseInt(v);
                    case "--checkpoint-seconds" -> a.checkpointInterval = Duration.ofSeconds(Long.parseLong(v));
                    case "--deadline-seconds" -> a.deadline = Duration.ofSeconds(Long.parseLong(v));
                    default ->
                        throw new IllegalArgumentException("unknown argument " + args[i - 1]
                                + "; see the class comment of " + Benchmarks.class.getName() + " or BENCHMARKS.md");
                }
            }
            if (a.runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, was " + a.runs);
            }
            for (String o : a.only) {
                if (!ALL.contains(o)) {
                    throw new IllegalArgumentException("unknown benchmark '" + o + "' in --only; use any of " + ALL);
                }
            }
            return a;
        }
    }
}
