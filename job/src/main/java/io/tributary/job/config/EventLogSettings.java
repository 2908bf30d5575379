package io.tributary.job.config;

/** Property group {@code sink.eventlog}, validated: whether the event log is written, and where. */
public final class EventLogSettings {
    private final boolean enabled;
    private final String path;

    EventLogSettings(boolean enabled, String path) {
        this.enabled = enabled;
        this.path = path;
    }

    /** Write the event log. */
    public boolean enabled() {
        return enabled;
    }

    /** The base path configured (set whenever {@link #enabled()}); the replay reads it even when the log is off. */
    public String path() {
        return path;
    }

    /** The dead-letter path beside the log ({@code <path>-dead-letters}); null when the log is off. */
    String deadLetterPath() {
        return enabled && path != null ? path.replaceAll("/+$", "") + "-dead-letters" : null;
    }

    @Override
    public String toString() {
        return enabled ? path : "off";
    }
}
