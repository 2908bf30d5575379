package io.tributary.job;

import static io.tributary.event.TestTables.WIDGETS;
import static io.tributary.event.TestTables.insert;
import static io.tributary.event.TestTables.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.s3.ParquetEventLogSink;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.shaded.guava31.com.google.common.hash.Hashing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A savepoint taken by this build restores into a job graph rebuilt from scratch with
 * allowNonRestoredState=false, and every piece of state in it belongs to an operator whose id is
 * one of {@link Uids} — so an upgrade that keeps the uids keeps the state.
 */
class SavepointCompatibilityTest {
    private static final int PARALLELISM = 2;

    @TempDir
    Path dir;

    @Test
    void savepointRestoresIntoARebuiltJobAndAllStateIsKeyedByUids() throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "300 ms");
        conf.setString("restart-strategy.type", "none");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        conf.setString("taskmanager.memory.managed.size", "64m");
        Path eventLog = dir.resolve("eventlog");

        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(PARALLELISM)
                .build())) {
            cluster.start();

            JobID first = cluster.submitJob(jobGraph(conf, eventLog, null))
                    .get(1, TimeUnit.MINUTES)
                    .getJobID();
            awaitRunning(cluster, first);
            await("changes reach the event log", () -> hasFiles(eventLog));
            String savepoint = cluster.stopWithSavepoint(
                            first, dir.resolve("savepoints").toUri().toString(), false, SavepointFormatType.CANONICAL)
                    .get(2, TimeUnit.MINUTES);

            Map<OperatorID, OperatorState> stateful = statefulOperators(savepoint);
            Map<OperatorID, String> byUid = Stream.of(
                            Uids.SOURCE, Uids.SEQUENCER, Uids.EVENT_LOG, committerUid(Uids.EVENT_LOG))
                    .collect(Collectors.toMap(SavepointCompatibilityTest::operatorId, uid -> uid));
            assertThat(byUid.keySet())
                    .as("every stateful operator in the savepoint has a uid from Uids")
                    .containsAll(stateful.keySet());
            assertThat(stateful)
                    .as("the sequencer's and the source's state are in the savepoint")
                    .containsKeys(operatorId(Uids.SEQUENCER), operatorId(Uids.SOURCE));

            // A new environment and a new Topology.build, as an upgraded jar would do.
            JobID restored = cluster.submitJob(jobGraph(conf, eventLog, savepoint))
                    .get(1, TimeUnit.MINUTES)
                    .getJobID();
            awaitRunning(cluster, restored);
            cluster.triggerCheckpoint(restored).get(2, TimeUnit.MINUTES);
            cluster.cancelJob(restored).get(1, TimeUnit.MINUTES);
        }
    }

    private static JobGraph jobGraph(Configuration conf, Path eventLog, String restoreFrom) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        GeneratorFunction<Long, ChangeEvent> changes = i -> i < 20
                ? insert(WIDGETS, 1000 + i, (int) (long) i, 1, "w", "d")
                : update(WIDGETS, 1000 + i, null, (int) (i % 20), (int) (long) i, "w", "d");
        DataGeneratorSource<ChangeEvent> source = new DataGeneratorSource<>(
                changes, 10_000_000, RateLimiterStrategy.perSecond(200), ChangeEventTypeInfo.INSTANCE);
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                        Map.of("hostname", "unused", "database", "d", "username", "u", "tables.include", ".*"),
                "sink.eventlog", Map.of("path", eventLog.toUri().toString()))));
        Topology.build(
                env,
                config,
                Endpoints.builder(source)
                        .eventLog(ParquetEventLogSink.create(eventLog.toUri().toString()))
                        .build());
        JobGraph graph = env.getStreamGraph().getJobGraph();
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        }
        return graph;
    }

    /** How Flink derives an operator's id from its uid (StreamGraphHasherV2). */
    static OperatorID operatorId(String uid) {
        return new OperatorID(Hashing.murmur3_128(0)
                .newHasher()
                .putString(uid, StandardCharsets.UTF_8)
                .hash()
                .asBytes());
    }

    /** The uid Flink gives a Sink V2's committer (SinkTransformationTranslator). */
    static String committerUid(String sinkUid) {
        return "Sink Committer: " + sinkUid;
    }

    private static Map<OperatorID, OperatorState> statefulOperators(String savepoint) throws Exception {
        Path metadata = Path.of(URI.create(savepoint)).resolve("_metadata");
        try (InputStream in = Files.newInputStream(metadata)) {
            return Checkpoints.loadCheckpointMetadata(
                            new DataInputStream(in), SavepointCompatibilityTest.class.getClassLoader(), savepoint)
                    .getOperatorStates()
                    .stream()
                    .filter(s -> s.getCoordinatorState() != null
                            || s.getStates().stream().anyMatch(OperatorSubtaskState::hasState))
                    .collect(Collectors.toMap(OperatorState::getOperatorID, s -> s));
        }
    }

    private static boolean hasFiles(Path base) {
        if (!Files.isDirectory(base)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(base)) {
            return files.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitRunning(MiniCluster cluster, JobID job) throws Exception {
        await("job " + job + " running", () -> {
            try {
                Set<ExecutionState> states = StreamSupport.stream(
                                cluster.getExecutionGraph(job)
                                        .get(30, TimeUnit.SECONDS)
                                        .getAllExecutionVertices()
                                        .spliterator(),
                                false)
                        .map(v -> v.getExecutionState())
                        .collect(Collectors.toSet());
                if (cluster.getJobStatus(job).get().isGloballyTerminalState()) {
                    throw new IllegalStateException("job " + job + " ended as "
                            + cluster.getJobStatus(job).get());
                }
                return states.equals(Set.of(ExecutionState.RUNNING));
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
