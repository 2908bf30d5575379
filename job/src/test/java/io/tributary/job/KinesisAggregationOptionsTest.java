package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.job.config.ConfigException;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.kinesis.KinesisRecordFormat;
import io.tributary.kinesis.KinesisSinkSettings;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.util.HashMap;
import java.util.Map;

/** {@code sink.kinesis} aggregation options: off by default, both JSON formats, bucket range checked. */
class KinesisAggregationOptionsTest {
    private static final AwsRegionResolver REGION = new AwsRegionResolver(() -> Region.EU_WEST_1);

    private static Map<String, Map<String, String>> groups(Map<String, String> kinesis) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                new HashMap<>(Map.of(
                        "hostname",
                        "db.internal",
                        "database",
                        "shop",
                        "username",
                        "cdc",
                        "password",
                        "s3cret",
                        "tables.include",
                        "public\\..*")));
        groups.put("sink.eventlog", new HashMap<>(Map.of("path", "s3://events/log")));
        Map<String, String> k = new HashMap<>(Map.of("enabled", "true", "stream.name", "changes"));
        k.putAll(kinesis);
        groups.put("sink.kinesis", k);
        return groups;
    }

    private static KinesisSinkSettings settings(Map<String, String> kinesis) {
        return JobConfig.of(new PropertyGroups(groups(kinesis))).kinesisSettings(REGION);
    }

    @Test
    void aggregationIsOffByDefault() {
        KinesisSinkSettings settings = settings(Map.of());
        assertThat(settings.aggregated()).isFalse();
        assertThat(settings.aggregationBuckets()).isZero();
    }

    @Test
    void aggregationCombinesWithBothJsonFormats() {
        KinesisSinkSettings plain = settings(Map.of("aggregation.enabled", "true"));
        assertThat(plain.aggregated()).isTrue();
        assertThat(plain.aggregationBuckets()).isEqualTo(256);
        KinesisSinkSettings dms =
                settings(Map.of("aggregation.enabled", "true", "aggregation.buckets", "64", "format", "dms"));
        assertThat(dms.format()).isEqualTo(KinesisRecordFormat.DMS);
        assertThat(dms.aggregationBuckets()).isEqualTo(64);
    }

    @Test
    void bucketCountOutOfRangeFailsAtStartUp() {
        for (String buckets : new String[] {"0", "65537", "-4"}) {
            assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(
                            groups(Map.of("aggregation.enabled", "true", "aggregation.buckets", buckets)))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'aggregation.buckets' = " + buckets)
                    .hasMessageContaining("1..65536");
        }
    }
}
