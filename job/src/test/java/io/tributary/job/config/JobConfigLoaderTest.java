package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.aws.AwsRegionResolver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

class JobConfigLoaderTest {
    private static final String GROUPS_JSON = "[{\"PropertyGroupId\": \"source.postgres\", \"PropertyMap\": {"
            + "\"hostname\": \"db\", \"database\": \"shop\", \"username\": \"cdc\", \"tables.include\": \"public\\\\..*\","
            + " %s}}, {\"PropertyGroupId\": \"sink.eventlog\", \"PropertyMap\": {\"path\": \"s3://bucket/events\"}}]";

    @TempDir
    Path dir;

    @Test
    void modeIsExplicit() {
        assertThat(JobConfigLoader.mode(new String[] {"--mode", "service"})).isEqualTo(RunMode.SERVICE);
        assertThat(JobConfigLoader.mode(new String[] {"--mode", "local", "--config", "x.json"}))
                .isEqualTo(RunMode.LOCAL);
        assertThat(JobConfigLoader.mode(new String[0])).isEqualTo(RunMode.SERVICE);
        for (String[] bad : new String[][] {
            {"--config", "x.json"},
            {"--mode", "local"},
            {"--mode", "cloud"},
            {"--mode", "service", "--config", "x.json"}
        }) {
            assertThatThrownBy(() -> JobConfigLoader.mode(bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--mode service | --mode local --config");
        }
    }

    @Test
    void localModeReadsTheFileAndNeverAsksTheService() throws Exception {
        Path file = Files.writeString(dir.resolve("groups.json"), String.format(GROUPS_JSON, "\"password\": \"pw\""));
        AtomicInteger serviceReads = new AtomicInteger();
        JobConfig config = JobConfigLoader.load(new String[] {"--mode", "local", "--config", file.toString()}, () -> {
            serviceReads.incrementAndGet();
            throw new AssertionError("service read in local mode");
        });
        assertThat(config.sourceSettings().hostname()).isEqualTo("db");
        assertThat(config.databasePassword()).isEqualTo("pw");
        assertThat(serviceReads).hasValue(0);
    }

    @Test
    void serviceModeReadsTheServicePropertiesFileFormat() throws Exception {
        // The same JSON shape the service writes to /etc/flink/application_properties.json.
        Path file = Files.writeString(
                dir.resolve("application_properties.json"),
                String.format(
                        GROUPS_JSON,
                        "\"password.secret-arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf\","
                                + " \"ssl.root-cert\": \"jvm\""));
        JobConfig config = JobConfigLoader.load(
                new String[] {"--mode", "service"}, () -> ServicePropertyGroups.read(file.toString()));
        assertThat(config.databaseAuthProperties(new AwsRegionResolver(() -> Region.US_EAST_1))
                        .values())
                .anyMatch(v -> v.endsWith(":secret:db-AbCdEf"));
    }

    @Test
    void serviceModeRefusesAPlainPassword() throws Exception {
        Path file = Files.writeString(
                dir.resolve("application_properties.json"),
                String.format(GROUPS_JSON, "\"password\": \"hunter2\", \"ssl.root-cert\": \"jvm\""));
        assertThatThrownBy(() -> JobConfigLoader.load(
                        new String[] {"--mode", "service"}, () -> ServicePropertyGroups.read(file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not accepted in service mode")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void groupsTheServiceReservesAreLeftToTheService() throws Exception {
        String json = String.format(GROUPS_JSON, "\"password.env\": \"PW\"");
        json = json.substring(0, json.length() - 1)
                + ", {\"PropertyGroupId\": \"kinesis.analytics.flink.run.options\", \"PropertyMap\": {\"x\": \"y\"}}]";
        Path file = Files.writeString(dir.resolve("application_properties.json"), json);
        PropertyGroups groups = ServicePropertyGroups.read(file.toString());
        assertThat(groups.asMap()).containsOnlyKeys("source.postgres", "sink.eventlog");
        JobConfig.of(groups);
    }

    @Test
    void unreadableServicePropertiesSayHowToRunElsewhere() {
        assertThatThrownBy(() ->
                        ServicePropertyGroups.read(dir.resolve("missing.json").toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.json")
                .hasMessageContaining("--mode local");
    }

    @Test
    void anEntryPointsOwnFlagsFollowTheModeAndAreLeftToIt() throws Exception {
        Path file = Files.writeString(dir.resolve("groups.json"), String.format(GROUPS_JSON, "\"password\": \"pw\""));
        JobConfigLoader.CommandLine local = JobConfigLoader.commandLine(
                new String[] {"--mode", "local", "--config", file.toString(), "--tables", "x", "--journal"},
                () -> {
                    throw new AssertionError("service read in local mode");
                },
                "usage");
        assertThat(local.mode()).isEqualTo(RunMode.LOCAL);
        assertThat(local.rest()).containsExactly("--tables", "x", "--journal");
        assertThat(local.groups().asMap()).containsKeys("source.postgres", "sink.eventlog");
        JobConfigLoader.CommandLine service = JobConfigLoader.commandLine(
                new String[] {"--mode", "service", "--journal"}, () -> new PropertyGroups(Map.of()), "usage");
        assertThat(service.mode()).isEqualTo(RunMode.SERVICE);
        assertThat(service.rest()).containsExactly("--journal");
        assertThat(JobConfigLoader.commandLine(new String[0], () -> new PropertyGroups(Map.of()), "usage")
                        .mode())
                .isEqualTo(RunMode.SERVICE);
        assertThatThrownBy(() -> JobConfigLoader.commandLine(
                        new String[] {"--tables", "x"}, () -> new PropertyGroups(Map.of()), "usage: replay"))
                .hasMessage("usage: replay");
        assertThatThrownBy(() -> JobConfigLoader.mode(new String[] {"--mode", "service", "--tables", "x"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("usage: TributaryJob");
    }
}
