package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.kinesis.KinesisRecordFormat;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/**
 * Configuration errors that used to surface only while the endpoints were built (some after the PostgreSQL
 * preflight had created the publication) are reported by {@link JobConfig#of}, which builds the typed settings and
 * touches nothing.
 */
class JobConfigEarlyFailureTest {
    private static Map<String, Map<String, String>> groups() {
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
        return groups;
    }

    private static Map<String, Map<String, String>> withKinesis(String key, String value) {
        Map<String, Map<String, String>> groups = groups();
        groups.put("sink.kinesis", new HashMap<>(Map.of("enabled", "true", "stream.name", "changes", key, value)));
        return groups;
    }

    private static Map<String, Map<String, String>> withReadModel(
            Map<String, String> dynamoDb, Map<String, String> mappings) {
        Map<String, Map<String, String>> groups = groups();
        Map<String, String> d = new HashMap<>(dynamoDb);
        d.put("enabled", "true");
        groups.put("sink.dynamodb", d);
        groups.put(DynamoDbMappingGroups.ID, new HashMap<>(mappings));
        return groups;
    }

    private static void assertRejected(Map<String, Map<String, String>> groups, String... messageParts) {
        var thrown = assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .isInstanceOf(ConfigException.class);
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
    }

    @Test
    void aMalformedDynamoDbMappingIsRejectedNamingWhereItIsConfigured() {
        assertRejected(
                withReadModel(Map.of(), Map.of("public.orders", "orders;partition=id:X")),
                "property group 'sink.dynamodb.tables' key 'public.orders'");
    }

    @Test
    void twoMappingsThatShareATableAndDeleteOnTruncateAreRejected() {
        assertRejected(
                withReadModel(
                        Map.of(), Map.of("public.a", "shared;partition=id:N", "public.b", "shared;partition=id:N")),
                "property group 'sink.dynamodb'",
                "share table shared");
    }

    @Test
    void aReadModelLimitOutOfRangeIsRejected() {
        assertRejected(
                withReadModel(Map.of("max-in-flight-requests", "0"), Map.of("public.orders", "orders;partition=id:N")),
                "property group 'sink.dynamodb'",
                "max in-flight requests must be at least 1");
    }

    @Test
    void theKinesisFormatIsAnEnumAndAnUnknownOneIsRejected() {
        assertThat(JobConfig.of(new PropertyGroups(withKinesis("format", "dms")))
                        .kinesisFormat())
                .isEqualTo(KinesisRecordFormat.DMS);
        assertThat(JobConfig.of(new PropertyGroups(groups())).kinesisFormat()).isEqualTo(KinesisRecordFormat.DEFAULT);
        assertRejected(withKinesis("format", "DMS-json"), "property group 'sink.kinesis'", "use 'default' or 'dms'");
    }

    @Test
    void kinesisSettingsTheSinkWouldRefuseAreRejected() {
        assertRejected(
                withKinesis("max-buffered-records", "100"),
                "property group 'sink.kinesis'",
                "at least the batch size 500");
        assertRejected(
                withKinesis("endpoint", "kinesis.internal:4567"), "property group 'sink.kinesis'", "is not a URL");
    }

    @Test
    void sourceSettingsTheSourceWouldRefuseAreRejected() {
        Map<String, Map<String, String>> badRegex = groups();
        badRegex.get("source.postgres").put("tables.exclude", "public\\.(");
        assertRejected(
                badRegex, "property group 'source.postgres'", "tables.exclude entry 'public\\.(' is not a valid regex");
        Map<String, Map<String, String>> badSlot = groups();
        badSlot.get("source.postgres").put("slot.name", "Bad-Slot");
        assertRejected(badSlot, "property group 'source.postgres'", "slot.name 'Bad-Slot' is not valid");
        Map<String, Map<String, String>> noHeartbeat = groups();
        noHeartbeat.get("source.postgres").put("heartbeat.interval", "0 s");
        assertRejected(noHeartbeat, "property group 'source.postgres'", "heartbeat.interval");
    }

    @Test
    void serviceModeRefusesAPlainPasswordAtValidation() {
        Map<String, Map<String, String>> groups = groups();
        groups.get("source.postgres").put("ssl.root-cert", "jvm");
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups), RunMode.SERVICE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not accepted in service mode")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theReplayGroupMayShareTheStreamingJobsFile() {
        Map<String, Map<String, String>> groups = groups();
        groups.put(JobConfig.REPLAY_GROUP, Map.of("tables", "public\\.orders"));
        assertThat(JobConfig.of(new PropertyGroups(groups)).jobName()).isEqualTo("tributary");
        groups.put("replays", Map.of());
        assertRejected(groups, "unknown property group 'replays'");
    }
}
