package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.job.config.JobConfig;
import io.tributary.job.config.OptionGroup;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * docs/CONFIGURATION.md is generated from the option classes; this fails when it is stale.
 * Regenerate with {@code -Dtributary.regenerate=true} (see {@link ConfigurationReference}).
 */
class ConfigurationReferenceTest {
    /** The module runs with job/ as its working directory. */
    private static final Path COMMITTED = Path.of("..", "docs", "CONFIGURATION.md");

    @Test
    void committedReferenceMatchesTheOptions() throws Exception {
        String generated = ConfigurationReference.render();
        if (Boolean.getBoolean("tributary.regenerate")) {
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertThat(committed)
                .withFailMessage("docs/CONFIGURATION.md differs from what the option classes generate. Regenerate it:"
                        + " mvn -B -q -o test -pl job -am -Dtest=ConfigurationReferenceTest"
                        + " -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.regenerate=true")
                .isEqualTo(generated);
    }

    @Test
    void everyOptionOfEveryGroupIsListed() {
        String generated = ConfigurationReference.render();
        for (OptionGroup group : JobConfig.GROUPS) {
            assertThat(generated).contains("\n## " + group.id() + "\n");
            for (ConfigOption<?> option : group.options()) {
                assertThat(generated).contains("| `" + option.key() + "` |");
            }
        }
        assertThat(generated)
                .contains("| `hostname` | String | (none) | yes |")
                .contains("| `heartbeat.interval` | Duration | `30 s` | no |")
                .contains("| `password.secret-arn` | String | (none) | no |");
    }
}
