package io.tributary.job;

import io.tributary.job.config.JobConfig;
import io.tributary.job.config.JobConfigLoader;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry point: load the configuration, build the topology, execute.
 *
 * <p>{@code --mode service} (or no arguments, as Managed Service for Apache Flink starts it) reads
 * the application's runtime property groups; {@code --mode local --config FILE.json} reads the same
 * groups from a file (self-managed clusters, local runs). Checkpointing, state backend and restart
 * strategy come from the cluster's configuration (flink-conf/ on a cluster, the application's
 * settings on the service).
 */
public final class TributaryJob {
    private TributaryJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = load(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Topology.build(env, config, ProductionEndpoints.create(config));
        env.execute(config.jobName());
    }

    /** Reads the configuration named by the arguments; fails with usage on anything else. */
    public static JobConfig load(String[] args) {
        return JobConfigLoader.load(args);
    }
}
