package io.tributary.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

class ReplayOptionsJournalTest {
    @Test
    void theJournalSwitchTakesNoValueAndTheOtherFlagsStillPair() {
        Map<String, String> raw = ReplayOptions.merge(
                Map.of(), new String[] {"--tables", "public\\.orders", "--journal", "--until", "2026-12-01T10:00:00Z"});
        ReplaySettings settings = ReplayOptions.settings(raw, "file:///log");
        assertThat(settings.journalOnly()).isTrue();
        assertThat(settings.tables().pattern()).isEqualTo("public\\.orders");
        assertThat(settings.until()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(settings.toString()).contains("into the journal only");
    }

    @Test
    void withoutTheSwitchAReplayIsNotJournalOnly() {
        assertThat(ReplayOptions.settings(ReplayOptions.merge(Map.of(), new String[0]), "file:///log")
                        .journalOnly())
                .isFalse();
        assertThat(ReplayOptions.settings(
                                ReplayOptions.merge(Map.of("journal-only", "true"), new String[0]), "file:///log")
                        .journalOnly())
                .isTrue();
    }
}
