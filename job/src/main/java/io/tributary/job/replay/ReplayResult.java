package io.tributary.job.replay;

import java.util.List;

/** What a finished replay did: files, events read and sent to the sinks, and every report line. */
public final class ReplayResult {
    private final int files;
    private final long eventsRead;
    private final long eventsEmitted;
    private final List<String> report;
    private final double seconds;

    ReplayResult(int files, long eventsRead, long eventsEmitted, List<String> report, double seconds) {
        this.files = files;
        this.eventsRead = eventsRead;
        this.eventsEmitted = eventsEmitted;
        this.report = List.copyOf(report);
        this.seconds = seconds;
    }

    public int files() {
        return files;
    }

    /** Events read from the files. */
    public long eventsRead() {
        return eventsRead;
    }

    /** Events inside the window handed to the sinks, in per-row order. */
    public long eventsEmitted() {
        return eventsEmitted;
    }

    /** Bad files, gaps, schema changes. */
    public List<String> report() {
        return report;
    }

    public double seconds() {
        return seconds;
    }

    /** Events read per second of wall time. */
    public double eventsPerSecond() {
        return seconds <= 0 ? 0 : eventsRead / seconds;
    }

    @Override
    public String toString() {
        return String.format(
                "replay done: %d files, %d events read, %d sent to the sinks, %.1f s (%.0f events/s), %d report line(s)",
                files, eventsRead, eventsEmitted, seconds, eventsPerSecond(), report.size());
    }
}
