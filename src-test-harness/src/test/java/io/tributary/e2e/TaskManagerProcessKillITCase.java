package io.tributary.e2e;

import io.tributary.harness.Deadline;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.Topology;
import io.tributary.job.config.JobConfig;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Production's shape on one machine: a JobManager and a TaskManager in JVMs of their own, RocksDB
 * state with incremental checkpoints. The TaskManager's process is killed with SIGKILL while
 * changes stream (no shutdown, no final checkpoint) and a new one joins; the job restarts from its
 * last checkpoint and the committed log must hold every change exactly once.
 */
class TaskManagerProcessKillITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @TempDir
    Path dir;

    private Map<String, String> clusterConfig(int rpcPort, int restPort) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "localhost");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "localhost");
        c.put("rest.address", "localhost");
        c.put("rest.bind-address", "localhost");
        c.put("rest.port", Integer.toString(restPort));
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.numberOfTaskSlots", "2");
        // What flink's start scripts pass a TaskManager as dynamic properties: without them it does not start.
        c.put("taskmanager.cpu.cores", "2");
        c.put("taskmanager.memory.task.heap.size", "384m");
        c.put("taskmanager.memory.task.off-heap.size", "0m");
        c.put("taskmanager.memory.network.min", "64m");
        c.put("taskmanager.memory.network.max", "64m");
        c.put("taskmanager.memory.managed.size", "256m");
        c.put("taskmanager.memory.framework.heap.size", "128m");
        c.put("taskmanager.memory.framework.off-heap.size", "128m");
        c.put("taskmanager.memory.jvm-metaspace.size", "256m");
        c.put("taskmanager.memory.jvm-overhead.min", "192m");
        c.put("taskmanager.memory.jvm-overhead.max", "192m");
        c.put("taskmanager.host", "localhost");
        c.put("taskmanager.bind-host", "localhost");
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "6000");
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "100");
        c.put("restart-strategy.fixed-delay.delay", "1 s");
        c.put("state.backend.type", "rocksdb");
        c.put("execution.checkpointing.incremental", "true");
        c.put("execution.checkpointing.interval", "500 ms");
        c.put("execution.checkpointing.min-pause", "100 ms");
        c.put("execution.checkpointing.mode", "EXACTLY_ONCE");
        c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        return c;
    }

    @Test
    void taskManagerProcessKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
        String db = PG.get().createDatabase("tm_process_kill");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 5_000);
        Path log = dir.resolve("log");
        JobConfig config = CaptureFixture.config(PG.get(), db, log, 500);
        Map<String, String> cluster = clusterConfig(PostgresStandIn.freePort(), PostgresStandIn.freePort());
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        StringBuilder yaml = new StringBuilder();
        cluster.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), yaml.toString());

        try (LocalRunnerProcess jobManager = LocalRunnerProcess.start(
                        StandaloneSessionClusterEntrypoint.class,
                        confDir,
                        dir.resolve("jobmanager.out"),
                        "--configDir",
                        confDir.toString());
                LocalRunnerProcess firstTaskManager = LocalRunnerProcess.start(
                        TaskManagerRunner.class,
                        confDir,
                        dir.resolve("taskmanager-1.out"),
                        "--configDir",
                        confDir.toString());
                RestClusterClient<StandaloneClusterId> client =
                        new RestClusterClient<>(Configuration.fromMap(cluster), StandaloneClusterId.getInstance())) {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(cluster));
            env.setParallelism(2);
            Topology.build(env, config, ProductionEndpoints.create(config));
            JobGraph graph = env.getStreamGraph().getJobGraph();
            JobID job = client.submitJob(graph).get(3, TimeUnit.MINUTES);
            Runnable alive = () -> {
                jobManager.assertAlive();
                try {
                    JobStatus s = client.getJobStatus(job).get(30, TimeUnit.SECONDS);
                    if (s.isGloballyTerminalState()) {
                        throw new IllegalStateException(
                                "the job ended as " + s + "; JobManager output:\n" + jobManager.output());
                    }
                } catch (IllegalStateException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            CaptureFixture.awaitEvents(log, seeded, Duration.ofMinutes(4), () -> {
                firstTaskManager.assertAlive();
                alive.run();
            });

            TrafficCounts traffic;
            try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                    .changesPerSecond(300)
                    .rowsPerTransaction(2)
                    .maxChanges(3_000)
                    .seed(31)
                    .build()) {
                gen.start();
                Deadline.of(Duration.ofMinutes(2))
                        .await("traffic under way", () -> gen.counts().total() >= 800);
                Map<DemoTable, Long> some = CaptureFixture.expectedEvents(seeded, List.of(gen.counts()));
                some.replaceAll((t, n) -> Math.max(seeded.get(t), n - 400));
                CaptureFixture.awaitEvents(log, some, Duration.ofMinutes(2), alive);
                firstTaskManager.kill();
                try (LocalRunnerProcess secondTaskManager = LocalRunnerProcess.start(
                        TaskManagerRunner.class,
                        confDir,
                        dir.resolve("taskmanager-2.out"),
                        "--configDir",
                        confDir.toString())) {
                    gen.awaitTermination(Duration.ofMinutes(3));
                    gen.close();
                    traffic = gen.counts();
                    Map<DemoTable, Long> expected = CaptureFixture.expectedEvents(seeded, List.of(traffic));
                    CaptureFixture.awaitEvents(log, expected, Duration.ofMinutes(4), alive);
                    try (Connection c = PG.get().connect(db)) {
                        CaptureFixture.assertLogEqualsDatabase(log, c, expected);
                    }
                    client.cancel(job).get(1, TimeUnit.MINUTES);
                }
            }
        }
    }
}
