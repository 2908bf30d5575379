package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.s3.ParquetEventLogSink;

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * With every destination on, every operator of the production topology carries a uid from
 * {@link Uids} (a sink's committer: the one Flink derives from the sink's uid), the stateless ones
 * (TRUNCATE fan-out and filter) too; a new operator without a uid fails here before it ships a
 * savepoint that cannot be restored.
 */
class OperatorUidTest {
    @Test
    void everyOperatorHasAUidFromUids() throws Exception {
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                        Map.of("hostname", "unused", "database", "d", "username", "u", "tables.include", ".*"),
                "sink.eventlog", Map.of("path", "file:///tmp/tributary-uid-test"),
                "sink.kinesis", Map.of("enabled", "true", "stream.name", "changes", "region", "us-east-1"),
                "sink.dynamodb",
                        Map.of(
                                "enabled",
                                "true",
                                "region",
                                "us-east-1",
                                "tables",
                                "public.widgets=widgets;partition=id:N"))));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataGeneratorSource<ChangeEvent> source =
                new DataGeneratorSource<>(i -> null, 1, RateLimiterStrategy.noOp(), ChangeEventTypeInfo.INSTANCE);
        Topology.build(
                env,
                config,
                Endpoints.builder(source)
                        .eventLog(ParquetEventLogSink.create("file:///tmp/tributary-uid-test"))
                        .kinesis(ProductionEndpoints.kinesisSink(config))
                        .dynamoDb(ProductionEndpoints.dynamoDbSink(config))
                        .build());
        StreamGraph graph = env.getStreamGraph();

        Set<String> allowed = new HashSet<>();
        for (String uid : declaredUids()) {
            allowed.add(uid);
            allowed.add(SavepointCompatibilityTest.committerUid(uid));
        }
        Map<String, String> uidByOperator = graph.getStreamNodes().stream()
                .collect(Collectors.toMap(
                        n -> n.getOperatorName() + " #" + n.getId(), n -> String.valueOf(n.getTransformationUID())));
        assertThat(uidByOperator.values())
                .as("operator → uid: " + uidByOperator)
                .allMatch(allowed::contains);
        assertThat(graph.getStreamNodes().stream()
                        .map(StreamNode::getTransformationUID)
                        .collect(Collectors.toSet()))
                .contains(
                        Uids.SOURCE, Uids.SEQUENCER, Uids.EVENT_LOG_CHECK, Uids.EVENT_LOG, Uids.KINESIS, Uids.DYNAMODB);
    }

    private static Set<String> declaredUids() throws IllegalAccessException {
        Set<String> uids = new HashSet<>();
        for (Field f : Uids.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                uids.add((String) f.get(null));
            }
        }
        return uids;
    }
}
