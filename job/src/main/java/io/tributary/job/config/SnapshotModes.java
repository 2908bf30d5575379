package io.tributary.job.config;

import io.tributary.postgres.PostgresSnapshotMode;

import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@code snapshot.mode}, and the deprecated {@code snapshot.enabled} it replaces. */
public final class SnapshotModes {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotModes.class);

    private SnapshotModes() {}

    /** The mode {@code source} (group {@code source.postgres}) asks for, or a ConfigException that says what to fix. */
    public static PostgresSnapshotMode resolve(Configuration source) {
        Boolean enabled = source.getOptional(SourceOptions.SNAPSHOT_ENABLED).orElse(null);
        if (enabled != null) {
            if (source.contains(SourceOptions.SNAPSHOT_MODE)) {
                throw new ConfigException(
                        "property group 'source.postgres': set 'snapshot.mode' only; 'snapshot.enabled'"
                                + " is deprecated and cannot be combined with it");
            }
            PostgresSnapshotMode mode = enabled ? PostgresSnapshotMode.INITIAL : PostgresSnapshotMode.NEVER;
            LOG.warn(
                    "property group 'source.postgres': 'snapshot.enabled' is deprecated; replace it with"
                            + " 'snapshot.mode' = '{}'",
                    mode.optionValue());
            return mode;
        }
        try {
            return PostgresSnapshotMode.parse(source.get(SourceOptions.SNAPSHOT_MODE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group 'source.postgres': " + e.getMessage());
        }
    }
}
