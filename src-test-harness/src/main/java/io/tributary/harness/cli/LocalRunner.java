package io.tributary.harness.cli;

import io.tributary.harness.PipelineRun;
import io.tributary.harness.progress.ProgressMetrics;
import io.tributary.harness.progress.ProgressPrinter;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./tributary local --config FILE.json [--restore PATH | --fresh]}: the job on a local
 * MiniCluster (with the Flink web UI) against the database the file names, run like a service:
 * <ul>
 *   <li>it resumes by itself from the newest retained checkpoint or savepoint of this configuration
 *       (see {@link LocalCheckpoints}), so after a crash the same command continues where the job
 *       was; {@code --fresh} moves that state aside and starts over, {@code --restore} picks one;</li>
 *   <li>progress shows restarts and the newest failure;</li>
 *   <li>when the job fails for good (the restart strategy of {@code flink-conf/} gives up), it
 *       prints the cause and exits with status 1;</li>
 *   <li>Ctrl-C stops it with a savepoint, which the next run resumes from.</li>
 * </ul>
 */
public final class LocalRunner {
    static final String USAGE =
            "usage: ./tributary local --config FILE.json [--fresh | --restore SAVEPOINT_OR_CHECKPOINT]"
                    + " [--flink-conf DIR]";

    private LocalRunner() {}

    public static void main(String[] args) {
        try {
            start(args);
        } catch (Throwable e) {
            // The MiniCluster's threads would keep the JVM alive after main failed: say why and end.
            System.err.println("[tributary] could not run the job: " + describe(e));
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void start(String[] args) throws Exception {
        Path configFile = null;
        String restore = null;
        boolean fresh = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            } else if (args[i].equals("--restore") && i + 1 < args.length) {
                restore = args[++i];
            } else if (args[i].equals("--flink-conf") && i + 1 < args.length) {
                // The stand-ins command writes one with the S3 endpoint added.
                System.setProperty("tributary.flink-conf", args[++i]);
            } else if (args[i].equals("--fresh")) {
                fresh = true;
            } else {
                usage();
            }
        }
        if (configFile == null || (fresh && restore != null)) {
            usage();
        }
        JobConfig config = JobConfig.fromFile(configFile);
        System.out.println("[tributary] " + config);
        Configuration flink = LocalFlink.load();
        // File systems read their settings (s3.endpoint, credentials, …) from here, for the start-up
        // checks in this JVM and the MiniCluster's sinks alike; a MiniCluster does not do it itself.
        FileSystem.initialize(flink, null);
        LocalCheckpoints state = LocalCheckpoints.of(
                configFile,
                flink.getString("execution.checkpointing.dir", "file:///tmp/tributary/checkpoints"),
                flink.getString("execution.checkpointing.savepoint-dir", "file:///tmp/tributary/savepoints"));
        if (fresh) {
            for (Path moved : state.moveAside()) {
                System.out.println("[tributary] --fresh: earlier state moved to " + moved);
            }
        } else if (restore == null) {
            Optional<Path> newest = state.newest();
            restore = newest.map(Path::toString).orElse(null);
        }
        System.out.println("[tributary] state of this configuration (id " + state.id() + "): checkpoints in "
                + state.checkpointDir() + ", savepoints in " + state.savepointDir());
        System.out.println(
                restore == null
                        ? "[tributary] starting fresh (no retained checkpoint or savepoint of this configuration)"
                        : "[tributary] resuming from " + restore);
        flink.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                state.checkpointDir().toUri().toString());
        flink.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                state.savepointDir().toUri().toString());
        // A crash must leave the newest checkpoint behind: that is what the next run resumes from.
        flink.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        System.out.println("[tributary] checking the destinations and the database, building the job…");
        System.exit(run(config, flink, restore, state, configFile));
    }

    /** A first start, or a restore of {@code restore} when there is a state to resume from. */
    private static PipelineRun launch(JobConfig config, Configuration flink, String restore) throws Exception {
        int parallelism = flink.getInteger("parallelism.default", 2);
        return restore == null
                ? PipelineRun.start(config, ProductionEndpoints.create(config), flink, parallelism)
                : PipelineRun.restore(config, ProductionEndpoints.create(config), flink, parallelism, restore);
    }

    private static int run(
            JobConfig config, Configuration flink, String restore, LocalCheckpoints state, Path configFile)
            throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        try (PipelineRun run = launch(config, flink, restore);
                ProgressPrinter progress = new ProgressPrinter(System.out, Map.of(), 5_000)) {
            System.out.println(
                    "[tributary] running; Flink web UI at " + run.webUrl() + " — Ctrl-C stops with a savepoint");
            progress.failures(() -> {
                        try {
                            return run.lastFailure();
                        } catch (Exception e) {
                            return null;
                        }
                    })
                    .start();
            Thread hook =
                    new Thread(() -> stopWithSavepoint(run, state, configFile, stopping, stopped), "tributary-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            JobStatus status;
            while (!(status = run.status()).isGloballyTerminalState() && !stopping.get()) {
                Thread.sleep(Duration.ofSeconds(1).toMillis());
            }
            if (stopping.get()) {
                stopped.await();
                return 0;
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            progress.close();
            if (status == JobStatus.FAILED) {
                Throwable cause = run.failureCause();
                System.err.println(
                        "[tributary] the job failed for good after " + restarts(run) + ": " + describe(cause));
                System.err.println("[tributary] the last checkpoint stays in " + state.checkpointDir()
                        + "; fix the cause and run the same command to resume, or add --fresh to start over");
                return 1;
            }
            System.out.println("[tributary] the job ended as " + status);
            return status == JobStatus.FINISHED ? 0 : 1;
        }
    }

    private static void stopWithSavepoint(
            PipelineRun run, LocalCheckpoints state, Path configFile, AtomicBoolean stopping, CountDownLatch stopped) {
        stopping.set(true);
        try {
            String savepoint = run.stopWithSavepoint(state.savepointDir());
            System.out.println("[tributary] stopped with savepoint " + savepoint
                    + "\n[tributary] resume with: ./tributary local --config " + configFile);
        } catch (Exception e) {
            System.err.println("[tributary] stop with savepoint failed: " + describe(e)
                    + "; the next run resumes from the newest retained checkpoint");
        } finally {
            stopped.countDown();
        }
    }

    private static String restarts(PipelineRun run) {
        long n = ProgressMetrics.restarts();
        return n == 1 ? "1 restart" : n + " restarts";
    }

    /** The failure and its root cause, which is usually the part that says what to fix. */
    static String describe(Throwable t) {
        if (t == null) {
            return "no cause reported";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t + "\n  caused by: " + root;
    }

    private static void usage() {
        System.err.println(USAGE);
        System.exit(2);
    }
}
