package io.tributary.job;

import io.tributary.job.config.JobConfig;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;

/**
 * The job's entry point: load the configuration, build the topology, execute.
 *
 * <p>{@code --config FILE.json} reads property groups from a local file (self-managed clusters, local
 * runs). Checkpointing, state backend and restart strategy come from the cluster's configuration
 * (flink-conf/ locally, the application's settings on Managed Service for Apache Flink).
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
        if (args.length == 2 && args[0].equals("--config")) {
            return JobConfig.fromFile(Path.of(args[1]));
        }
        throw new IllegalArgumentException("usage: TributaryJob --config <property-groups.json>");
    }
}
