package io.tributary.job.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/** What to replay: the log, the tables, the commit-time window, and what a bad file does. */
public final class ReplaySettings {
    private final String logPath;
    private final Pattern tables;
    private final Instant from;
    private final Instant until;
    private final boolean failOnBadFile;
    private final Duration progressInterval;
    private final boolean journalOnly;

    private ReplaySettings(Builder b) {
        this.logPath = Objects.requireNonNull(b.logPath, "logPath");
        this.tables = b.tables;
        this.from = b.from;
        this.until = b.until;
        this.failOnBadFile = b.failOnBadFile;
        this.progressInterval = b.progressInterval;
        this.journalOnly = b.journalOnly;
        if (from != null && until != null && from.isAfter(until)) {
            throw new IllegalArgumentException("replay window is empty: from " + from + " is after until " + until);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String logPath() {
        return logPath;
    }

    public Pattern tables() {
        return tables;
    }

    /** Inclusive lower bound on commit time; null = unbounded. */
    public Instant from() {
        return from;
    }

    /** Inclusive upper bound on commit time; null = unbounded. */
    public Instant until() {
        return until;
    }

    public boolean failOnBadFile() {
        return failOnBadFile;
    }

    public Duration progressInterval() {
        return progressInterval;
    }

    /** Replay into the DynamoDB event journal only, leaving the read model and the stream alone. */
    public boolean journalOnly() {
        return journalOnly;
    }

    static long micros(Instant t, long unbounded) {
        return t == null
                ? unbounded
                : Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L);
    }

    @Override
    public String toString() {
        return "replay of " + logPath + " tables=" + tables + " from=" + (from == null ? "start" : from)
                + " until=" + (until == null ? "end" : until) + " on-bad-file=" + (failOnBadFile ? "fail" : "skip")
                + (journalOnly ? " into the journal only" : "");
    }

    /** Builds {@link ReplaySettings}; only the log path is required. */
    public static final class Builder {
        private String logPath;
        private Pattern tables = Pattern.compile(".*");
        private Instant from;
        private Instant until;
        private boolean failOnBadFile = true;
        private Duration progressInterval = Duration.ofSeconds(5);
        private boolean journalOnly;

        public Builder logPath(String logPath) {
            this.logPath = logPath;
            return this;
        }

        public Builder tables(Pattern tables) {
            this.tables = tables;
            return this;
        }

        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public Builder failOnBadFile(boolean failOnBadFile) {
            this.failOnBadFile = failOnBadFile;
            return this;
        }

        public Builder journalOnly(boolean journalOnly) {
            this.journalOnly = journalOnly;
            return this;
        }

        public Builder progressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
            return this;
        }

        public ReplaySettings build() {
            return new ReplaySettings(this);
        }
    }
}
