package org.apache.flink.contrib.streaming.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.job.Endpoints;
import io.tributary.job.Topology;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Filter;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The job turns RocksDB bloom filters on itself ({@code Topology}), so they hold on the service, whose cluster
 * configuration the job cannot change: the backend is loaded as a TaskManager loads it (Flink's {@link
 * StateBackendLoader} with the job's configuration over a cluster configuration that says only {@code rocksdb}), and
 * its column family options carry a filter. In Flink's package because the options container is package-private.
 */
class TopologyBloomFilterTest {
    @Test
    void theJobsConfigurationGivesTheClustersRocksDbBloomFilters(@TempDir Path dir) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Topology.build(
                env,
                config(),
                Endpoints.sourceOnly(new DataGeneratorSource<ChangeEvent>(
                        i -> null, 1, RateLimiterStrategy.noOp(), ChangeEventTypeInfo.INSTANCE)));
        Configuration job = env.getStreamGraph().getJobConfiguration();

        assertThat(filterOf(job, dir.resolve("with")))
                .as("with the job's configuration")
                .isNotNull();
        assertThat(filterOf(new Configuration(), dir.resolve("without")))
                .as("the cluster's configuration alone (Flink's default)")
                .isNull();
    }

    private static Filter filterOf(Configuration job, Path dir) throws Exception {
        Configuration cluster = new Configuration();
        cluster.setString("state.backend.type", "rocksdb");
        StateBackend backend = StateBackendLoader.fromApplicationOrConfigOrDefault(
                null,
                job,
                cluster,
                TopologyBloomFilterTest.class.getClassLoader(),
                LoggerFactory.getLogger(TopologyBloomFilterTest.class));
        assertThat(backend).isInstanceOf(EmbeddedRocksDBStateBackend.class);
        try (RocksDBResourceContainer options =
                ((EmbeddedRocksDBStateBackend) backend).createOptionsAndResourceContainer(dir.toFile())) {
            return ((BlockBasedTableConfig) options.getColumnOptions().tableFormatConfig()).filterPolicy();
        }
    }

    private static JobConfig config() {
        return JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                Map.of("hostname", "unused", "database", "d", "username", "u", "tables.include", ".*"),
                "sink.eventlog",
                Map.of("enabled", "false"))));
    }
}
