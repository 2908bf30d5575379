package io.tributary.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** The start-up write check of the event log and dead-letter paths, on the local file system. */
class FileSystemPathCheckTest {
    @TempDir
    Path dir;

    @Test
    void writablePathPassesAndKeepsNoProbe() throws Exception {
        Path log = dir.resolve("log");
        assertThat(FileSystemPathCheck.run(log.toUri().toString(), "'path'")).isEmpty();
        try (var files = Files.list(log)) {
            assertThat(files).as("probe files left behind").isEmpty();
        }
    }

    @Test
    void pathBelowAFileIsReportedWithItsOption() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        String path = file.toUri() + "/log";
        assertThat(FileSystemPathCheck.run(path, "'path' of property group 'sink.eventlog'"))
                .get()
                .asString()
                .contains("cannot write below 'path' of property group 'sink.eventlog' '" + path + "'")
                .contains("s3:PutObject");
    }

    @Test
    void unknownSchemeIsReported() {
        assertThat(FileSystemPathCheck.run("nosuchfs://bucket/log", "'path'"))
                .get()
                .asString()
                .contains("cannot write below 'path' 'nosuchfs://bucket/log'");
    }
}
