package io.tributary.harness;

import io.tributary.harness.progress.ProgressMetrics;
import io.tributary.job.Endpoints;
import io.tributary.job.Topology;
import io.tributary.job.config.JobConfig;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * The production topology running on its own MiniCluster, with handles a test needs: fail the
 * TaskManager, stop with a savepoint, restore from one, wait for the job to end.
 */
public final class PipelineRun implements AutoCloseable {
    private final MiniCluster cluster;
    private final JobID jobId;

    private PipelineRun(MiniCluster cluster, JobID jobId) {
        this.cluster = cluster;
        this.jobId = jobId;
    }

    /**
     * Starts a MiniCluster with {@code flinkConf} (checkpointing, restart strategy, …) and submits
     * the topology with no state: a first start.
     */
    public static PipelineRun start(JobConfig config, Endpoints endpoints, Configuration flinkConf, int parallelism)
            throws Exception {
        return launch(config, endpoints, flinkConf, parallelism, null);
    }

    /** As {@link #start}, the job's state restored from {@code savepoint} (a savepoint or retained checkpoint). */
    public static PipelineRun restore(
            JobConfig config, Endpoints endpoints, Configuration flinkConf, int parallelism, String savepoint)
            throws Exception {
        return launch(config, endpoints, flinkConf, parallelism, Objects.requireNonNull(savepoint, "savepoint"));
    }

    private static PipelineRun launch(
            JobConfig config, Endpoints endpoints, Configuration flinkConf, int parallelism, String restoreFrom)
            throws Exception {
        Configuration conf = new Configuration(flinkConf);
        if (!conf.contains(RestOptions.PORT)) {
            conf.set(RestOptions.PORT, 0);
        }
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        ProgressMetrics.register(conf);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(Math.max(2, parallelism))
                .build());
        cluster.start();
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(parallelism);
            Topology.build(env, config, endpoints);
            JobGraph graph = env.getStreamGraph().getJobGraph();
            if (restoreFrom != null) {
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
            }
            JobID id = cluster.submitJob(graph).get(1, TimeUnit.MINUTES).getJobID();
            return new PipelineRun(cluster, id);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** Flink settings for test runs: exactly-once checkpoints every {@code interval}, restarts on failure. */
    public static Configuration testFlinkConfig(Duration checkpointInterval, Path checkpointDir, boolean restart) {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", checkpointInterval.toMillis() + " ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("execution.checkpointing.min-pause", "100 ms");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                checkpointDir.toUri().toString());
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        if (restart) {
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", "10");
            conf.setString("restart-strategy.fixed-delay.delay", "500 ms");
        } else {
            conf.setString("restart-strategy.type", "none");
        }
        conf.setString("taskmanager.memory.managed.size", "128m");
        conf.setString("taskmanager.memory.network.max", "128m");
        return conf;
    }

    public JobID jobId() {
        return jobId;
    }

    public MiniCluster cluster() {
        return cluster;
    }

    /** The web UI's address. */
    public String webUrl() throws Exception {
        return cluster.getRestAddress().get().toString();
    }

    public JobStatus status() throws Exception {
        return cluster.getJobStatus(jobId).get(30, TimeUnit.SECONDS);
    }

    /** Waits until every task of the job runs (after start or a restart). */
    public void awaitRunning(Duration timeout) throws Exception {
        Deadline.of(timeout).await("job " + jobId + " running", () -> {
            if (status().isGloballyTerminalState()) {
                throw new IllegalStateException("job ended as " + status() + ": " + failureCause());
            }
            return cluster.getExecutionGraph(jobId)
                            .get(30, TimeUnit.SECONDS)
                            .getAllExecutionVertices()
                            .iterator()
                            .hasNext()
                    && StreamSupport.stream(
                                    cluster.getExecutionGraph(jobId)
                                            .get(30, TimeUnit.SECONDS)
                                            .getAllExecutionVertices()
                                            .spliterator(),
                                    false)
                            .allMatch(v -> v.getExecutionState() == ExecutionState.RUNNING);
        });
    }

    /**
     * Kills the only TaskManager, as a machine failure would, and starts a new one; the job restarts
     * from its last completed checkpoint.
     */
    public void failTaskManager() throws Exception {
        cluster.terminateTaskManager(0).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager();
    }

    /** Stops the job with a savepoint (draining nothing, as an upgrade would) and returns its path. */
    public String stopWithSavepoint(Path dir) throws Exception {
        return cluster.stopWithSavepoint(jobId, dir.toUri().toString(), false, SavepointFormatType.CANONICAL)
                .get(5, TimeUnit.MINUTES);
    }

    /** The failure that ended the job, or null. */
    public Throwable failureCause() {
        try {
            return cluster.requestJobResult(jobId).getNow(null) == null
                    ? null
                    : cluster.requestJobResult(jobId)
                            .get()
                            .getSerializedThrowable()
                            .map(t -> (Throwable) t)
                            .orElse(null);
        } catch (Exception e) {
            return e;
        }
    }

    /**
     * The newest failure that restarted or ended the job, as its first line (exception and message),
     * or null while there was none.
     */
    public String lastFailure() throws Exception {
        var info = cluster.getExecutionGraph(jobId).get(30, TimeUnit.SECONDS).getFailureInfo();
        if (info == null) {
            return null;
        }
        String text = info.getExceptionAsString();
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }

    /** Fails fast if the job has ended, with its cause. */
    public void assertAlive() throws Exception {
        JobStatus s = status();
        if (s.isGloballyTerminalState()) {
            throw new IllegalStateException("the job ended as " + s, failureCause());
        }
    }

    public void cancel() throws Exception {
        if (!status().isGloballyTerminalState()) {
            cluster.cancelJob(jobId).get(1, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            cancel();
        } finally {
            cluster.close();
        }
    }
}
