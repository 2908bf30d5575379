package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.dynamodb.DynamoDbJournalSettings;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

class DynamoDbJournalOptionsTest {
    private static Map<String, Map<String, String>> withJournal(Map<String, String> journal) {
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
        groups.put("sink.dynamodb-journal", new HashMap<>(journal));
        return groups;
    }

    @Test
    void theGroupBecomesJournalSettings() {
        JobConfig config = JobConfig.of(new PropertyGroups(withJournal(Map.of(
                "enabled",
                "true",
                "table",
                "events",
                "row-prefix",
                "crm:",
                "ttl",
                "30 d",
                "ttl-attribute",
                "gone_at",
                "max-in-flight-batches",
                "4"))));
        DynamoDbJournalSettings settings = config.journalSettings();
        assertThat(settings.table()).isEqualTo("events");
        assertThat(settings.rowPrefix()).isEqualTo("crm:");
        assertThat(settings.ttl()).contains(Duration.ofDays(30));
        assertThat(settings.ttlAttribute()).isEqualTo("gone_at");
        assertThat(settings.maxInFlightBatches()).isEqualTo(4);
        assertThat(config.toString()).contains("journal=events");
    }

    @Test
    void defaultsAreOffWithATableNameAndNoTtl() {
        JobConfig config = JobConfig.of(new PropertyGroups(withJournal(Map.of())));
        assertThat(config.journalEnabled()).isFalse();
        DynamoDbJournalSettings settings = config.journalSettings();
        assertThat(settings.table()).isEqualTo("tributary-journal");
        assertThat(settings.ttl()).isEmpty();
    }

    @Test
    void withoutTheEventLogTheJournalNeedsADeadLetterPath() {
        Map<String, Map<String, String>> groups = withJournal(Map.of("enabled", "true"));
        groups.put("sink.eventlog", new HashMap<>(Map.of("enabled", "false")));
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'dead-letters': 'path' is required")
                .hasMessageContaining("journal");
    }

    @Test
    void aTtlAttributeThatIsAJournalAttributeIsRefusedWithTheGroupName() {
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(
                        withJournal(Map.of("enabled", "true", "ttl", "1 d", "ttl-attribute", "position")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sink.dynamodb-journal")
                .hasMessageContaining("choose another name");
    }
}
