package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.job.config.ConfigException;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kinesis and DynamoDB clients talk to the region the job runs in unless 'region' says
 * otherwise, and a job that can find neither stops at start-up naming the option. The runtime's
 * region comes from a fake provider (the seam), so no environment variable is touched.
 */
class ProductionEndpointsRegionTest {
    private static final AwsRegionResolver RUNS_IN_EU_WEST_3 = new AwsRegionResolver(() -> Region.EU_WEST_3);
    private static final AwsRegionResolver RUNS_NOWHERE = new AwsRegionResolver(() -> {
        throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    });

    @Test
    void withoutRegionOptionTheClientsUseTheRegionTheJobRunsIn() {
        JobConfig config = config(null);
        assertThat(config.kinesisSettings(RUNS_IN_EU_WEST_3).region()).isEqualTo("eu-west-3");
        assertThat(config.dynamoDbClientSettings(RUNS_IN_EU_WEST_3).region()).isEqualTo("eu-west-3");
    }

    @Test
    void configuredRegionWinsOverTheRuntime() {
        JobConfig config = config("ap-northeast-1");
        assertThat(config.kinesisSettings(RUNS_IN_EU_WEST_3).region()).isEqualTo("ap-northeast-1");
        assertThat(config.dynamoDbClientSettings(RUNS_NOWHERE).region()).isEqualTo("ap-northeast-1");
    }

    @Test
    void noRegionAnywhereStopsStartUpNamingTheOption() {
        JobConfig config = config(null);
        assertThatThrownBy(() -> config.kinesisSettings(RUNS_NOWHERE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("set 'region' in property group 'sink.kinesis'")
                .hasMessageContaining("AWS_REGION");
        assertThatThrownBy(() -> config.dynamoDbClientSettings(RUNS_NOWHERE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("set 'region' in property group 'sink.dynamodb'");
    }

    private static JobConfig config(String region) {
        Map<String, String> kinesis = new HashMap<>(Map.of("enabled", "true", "stream.name", "changes"));
        Map<String, String> dynamoDb =
                new HashMap<>(Map.of("enabled", "true", "tables", "public.w=widgets;partition=id:N"));
        if (region != null) {
            kinesis.put("region", region);
            dynamoDb.put("region", region);
        }
        return JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                Map.of("hostname", "unused", "database", "d", "username", "u", "tables.include", ".*"),
                "sink.eventlog",
                Map.of("path", "file:///tmp/tributary-region-test"),
                "sink.kinesis",
                kinesis,
                "sink.dynamodb",
                dynamoDb)));
    }
}
