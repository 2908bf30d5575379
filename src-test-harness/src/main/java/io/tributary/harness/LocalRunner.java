package io.tributary.harness;

import io.tributary.harness.progress.ProgressPrinter;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./tributary local --config FILE.json [--restore SAVEPOINT]}: the job on a local MiniCluster (with
 * the Flink web UI) against the database the file names. Ctrl-C stops it with a savepoint and prints
 * the path to restore from.
 */
public final class LocalRunner {
    private LocalRunner() {}

    public static void main(String[] args) throws Exception {
        Path configFile = null;
        String restore = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            } else if (args[i].equals("--restore") && i + 1 < args.length) {
                restore = args[++i];
            } else {
                System.err.println("usage: ./tributary local --config FILE.json [--restore SAVEPOINT]");
                System.exit(2);
            }
        }
        if (configFile == null) {
            System.err.println("usage: ./tributary local --config FILE.json [--restore SAVEPOINT]");
            System.exit(2);
        }
        JobConfig config = JobConfig.fromFile(configFile);
        System.out.println("[tributary] " + config);
        System.out.println("[tributary] checking the database and building the job…");
        Configuration flink = LocalFlink.load();
        Path savepoints = Path.of(System.getProperty("java.io.tmpdir"), "tributary", "savepoints");
        try (PipelineRun run = PipelineRun.start(config, ProductionEndpoints.create(config), flink,
                flink.getInteger("parallelism.default", 2), restore);
                ProgressPrinter progress = new ProgressPrinter(System.out, Map.of(), 5_000, null)) {
            System.out.println("[tributary] running; Flink web UI at " + run.webUrl() + " — Ctrl-C stops with a savepoint");
            progress.start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    String savepoint = run.stopWithSavepoint(savepoints);
                    System.out.println("[tributary] stopped with savepoint " + savepoint
                            + "\n[tributary] resume with: ./tributary local --config " + args[1] + " --restore " + savepoint);
                } catch (Exception e) {
                    System.err.println("[tributary] stop with savepoint failed: " + e.getMessage());
                } finally {
                    stopped.countDown();
                }
            }));
            while (!run.status().isGloballyTerminalState()) {
                Thread.sleep(Duration.ofSeconds(1).toMillis());
            }
            if (run.failureCause() != null) {
                System.err.println("[tributary] the job failed: " + run.failureCause());
                System.exit(1);
            }
            stopped.await();
        }
    }
}
