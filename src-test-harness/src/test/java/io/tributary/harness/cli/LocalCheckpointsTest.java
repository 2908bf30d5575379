package io.tributary.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

class LocalCheckpointsTest {
    @TempDir
    Path dir;

    private LocalCheckpoints state(String configName) {
        return LocalCheckpoints.of(
                dir.resolve(configName),
                dir.resolve("cp").toUri().toString(),
                dir.resolve("sp").toString());
    }

    private static void metadata(Path chk, long mtime) throws Exception {
        Files.createDirectories(chk);
        Files.writeString(chk.resolve("_metadata"), "x");
        Files.setLastModifiedTime(chk.resolve("_metadata"), FileTime.fromMillis(mtime));
    }

    @Test
    void eachConfigurationFileHasItsOwnStableDirectories() {
        assertThat(state("a.json").id()).isEqualTo(state("a.json").id()).hasSize(12);
        assertThat(state("a.json").checkpointDir()).isNotEqualTo(state("b.json").checkpointDir());
        assertThat(state("a.json").checkpointDir()).startsWithRaw(dir.resolve("cp"));
        assertThat(state("a.json").savepointDir()).startsWithRaw(dir.resolve("sp"));
    }

    @Test
    void nothingToResumeFromAtFirst() {
        assertThat(state("a.json").newest()).isEmpty();
    }

    @Test
    void newestCompleteCheckpointOrSavepointWinsAcrossJobs() throws Exception {
        LocalCheckpoints s = state("a.json");
        metadata(s.checkpointDir().resolve("job1/chk-7"), 1_000);
        metadata(s.checkpointDir().resolve("job2/chk-3"), 3_000);
        metadata(s.savepointDir().resolve("savepoint-1"), 2_000);
        Files.createDirectories(s.checkpointDir().resolve("job2/chk-4")); // in progress: no _metadata yet
        assertThat(s.newest()).contains(s.checkpointDir().resolve("job2/chk-3"));

        metadata(s.savepointDir().resolve("savepoint-2"), 4_000);
        assertThat(s.newest()).contains(s.savepointDir().resolve("savepoint-2"));
    }

    @Test
    void anotherConfigurationsStateIsNeverPicked() throws Exception {
        metadata(state("b.json").checkpointDir().resolve("job/chk-1"), 1_000);
        assertThat(state("a.json").newest()).isEmpty();
    }

    @Test
    void freshMovesEarlierStateAside() throws Exception {
        LocalCheckpoints s = state("a.json");
        metadata(s.checkpointDir().resolve("job/chk-1"), 1_000);
        assertThat(s.moveAside()).hasSize(1);
        assertThat(s.newest()).isEmpty();
    }
}
