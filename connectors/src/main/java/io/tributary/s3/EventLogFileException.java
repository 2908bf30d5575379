package io.tributary.s3;

import org.apache.flink.core.fs.Path;

import java.io.IOException;

/** An event log part file that cannot be read: corrupt, truncated, or not written by the event log. */
public final class EventLogFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;

    public EventLogFileException(Path file, String problem, Throwable cause) {
        super(file + " " + problem, cause);
        this.file = file.toString();
    }

    public EventLogFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /** The file's path. */
    public String file() {
        return file;
    }
}
