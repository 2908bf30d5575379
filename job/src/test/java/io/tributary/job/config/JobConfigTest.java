package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.TableId;
import io.tributary.postgres.PostgresSnapshotMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class JobConfigTest {
    private static Map<String, Map<String, String>> minimal() {
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

    @Test
    void readsTypedValuesAndDefaults() {
        Map<String, Map<String, String>> groups = minimal();
        groups.get("source.postgres").put("heartbeat.interval", "5 s");
        groups.get("source.postgres").put("tables.exclude", "public\\.tmp_.*;public\\.audit");
        JobConfig config = JobConfig.of(new PropertyGroups(groups));

        assertThat(config.sourceSettings().port()).isEqualTo(5432);
        assertThat(config.sourceSettings().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.sourceSettings().tableExclude()).containsExactly("public\\.tmp_.*", "public\\.audit");
        assertThat(config.databasePassword()).isEqualTo("s3cret");
        assertThat(config.jobName()).isEqualTo("tributary");
    }

    @Test
    void unknownKeyFailsAndSuggestsTheNearestKnownOne() {
        Map<String, Map<String, String>> groups = minimal();
        groups.get("source.postgres").put("hostnme", "x");
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.postgres")
                .hasMessageContaining("unknown key 'hostnme'")
                .hasMessageContaining("did you mean 'hostname'");
    }

    @Test
    void snapshotModeDefaultsToInitialAndTheDeprecatedSwitchStillWorks() {
        assertThat(JobConfig.of(new PropertyGroups(minimal())).sourceSettings().snapshotMode())
                .isEqualTo(PostgresSnapshotMode.INITIAL);
        Map<String, Map<String, String>> when = minimal();
        when.get("source.postgres").put("snapshot.mode", "when-needed");
        assertThat(JobConfig.of(new PropertyGroups(when)).sourceSettings().snapshotMode())
                .isEqualTo(PostgresSnapshotMode.WHEN_NEEDED);
        Map<String, Map<String, String>> old = minimal();
        old.get("source.postgres").put("snapshot.enabled", "false");
        assertThat(JobConfig.of(new PropertyGroups(old)).sourceSettings().snapshotMode())
                .isEqualTo(PostgresSnapshotMode.NEVER);
    }

    @Test
    void badOrConflictingSnapshotModeFailsAtStartUp() {
        Map<String, Map<String, String>> bad = minimal();
        bad.get("source.postgres").put("snapshot.mode", "sometimes");
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(bad)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "'snapshot.mode' = 'sometimes' is not one of: initial, never, when-needed, always");
        Map<String, Map<String, String>> both = minimal();
        both.get("source.postgres").put("snapshot.mode", "never");
        both.get("source.postgres").put("snapshot.enabled", "true");
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(both)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("set 'snapshot.mode' only");
    }

    @Test
    void unknownGroupFails() {
        Map<String, Map<String, String>> groups = minimal();
        groups.put("sink.kinesiss", Map.of());
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .hasMessageContaining("unknown property group 'sink.kinesiss'");
    }

    @Test
    void missingRequiredKeyNamesIt() {
        Map<String, Map<String, String>> groups = minimal();
        groups.get("source.postgres").remove("database");
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .hasMessageContaining("'database' is required: Database name.");
    }

    @Test
    void malformedValueSaysWhichKeyAndType() {
        Map<String, Map<String, String>> groups = minimal();
        groups.get("source.postgres").put("port", "fifty");
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .hasMessageContaining("'port' = 'fifty' is not a valid Integer");
    }

    @Test
    void eventLogNeedsAPathWhenEnabled() {
        Map<String, Map<String, String>> groups = minimal();
        groups.remove("sink.eventlog");
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups))).hasMessageContaining("'path' is required");
    }

    @Test
    void passwordNeverAppearsInToString() {
        assertThat(JobConfig.of(new PropertyGroups(minimal())).toString())
                .doesNotContain("s3cret")
                .contains("db.internal");
    }

    @Test
    void valueOverTheServiceLimitFails() {
        Map<String, Map<String, String>> groups = minimal();
        groups.get("source.postgres").put("tables.include", "a".repeat(2049));
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups))).hasMessageContaining("longer than 2048");
    }

    @Test
    void readsTheManagedFlinkJsonShape(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.json");
        Files.writeString(
                file,
                "[{\"PropertyGroupId\":\"source.postgres\",\"PropertyMap\":{\"hostname\":\"h\","
                        + "\"port\":6543,\"database\":\"d\",\"username\":\"u\",\"password\":\"p\",\"tables.include\":\"s\\\\.t\"}},"
                        + "{\"PropertyGroupId\":\"sink.eventlog\",\"PropertyMap\":{\"path\":\"file:///tmp/log\"}}]");
        JobConfig config = JobConfig.fromFile(file);
        assertThat(config.sourceSettings().port()).isEqualTo(6543);
        assertThat(config.sourceSettings().tableInclude()).containsExactly("s\\.t");
    }

    @Test
    void fileThatIsNotAnArrayOfGroupsFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"source.postgres\": {}}");
        assertThatThrownBy(() -> JobConfig.fromFile(file)).hasMessageContaining("JSON array");
    }

    @Test
    void keyColumnsParseAndRejectGarbage() {
        assertThat(KeyColumns.parse("public.audit(id, ts); legacy.log(seq)"))
                .containsEntry(new TableId("public", "audit"), List.of("id", "ts"))
                .containsEntry(new TableId("legacy", "log"), List.of("seq"));
        assertThatThrownBy(() -> KeyColumns.parse("public.audit id")).hasMessageContaining("schema.table(col1,col2)");
    }
}
