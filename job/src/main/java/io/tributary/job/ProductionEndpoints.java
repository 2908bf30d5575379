package io.tributary.job;

import io.tributary.job.config.EventLogOptions;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.KeyColumns;
import io.tributary.job.config.SourceOptions;
import io.tributary.postgres.PostgresCapturedTable;
import io.tributary.postgres.PostgresPreflight;
import io.tributary.postgres.PostgresSourceSettings;
import io.tributary.postgres.PostgresSources;
import io.tributary.s3.ParquetEventLogSink;

import org.apache.flink.configuration.Configuration;

import java.util.List;

/** Builds the real endpoints from configuration; runs the database's start-up checks first. */
public final class ProductionEndpoints {
    private ProductionEndpoints() {}

    /** The source settings the configuration describes (the password resolved, never logged). */
    public static PostgresSourceSettings sourceSettings(JobConfig config) {
        Configuration s = config.source();
        PostgresSourceSettings.Builder b = PostgresSourceSettings.builder()
                .hostname(s.get(SourceOptions.HOSTNAME))
                .port(s.get(SourceOptions.PORT))
                .database(s.get(SourceOptions.DATABASE))
                .username(s.get(SourceOptions.USERNAME))
                .password(config.databasePassword())
                .slotName(s.get(SourceOptions.SLOT_NAME))
                .publicationName(s.get(SourceOptions.PUBLICATION_NAME))
                .tableInclude(s.get(SourceOptions.TABLES_INCLUDE))
                .tableExclude(s.get(SourceOptions.TABLES_EXCLUDE))
                .excludedColumns(s.get(SourceOptions.COLUMNS_EXCLUDE))
                .snapshotEnabled(s.get(SourceOptions.SNAPSHOT_ENABLED))
                .splitSize(s.get(SourceOptions.SNAPSHOT_SPLIT_SIZE))
                .heartbeatInterval(s.get(SourceOptions.HEARTBEAT_INTERVAL))
                .connectMaxRetries(s.get(SourceOptions.CONNECT_MAX_RETRIES))
                .connectTimeout(s.get(SourceOptions.CONNECT_TIMEOUT));
        KeyColumns.parse(s.get(SourceOptions.KEY_COLUMNS)).forEach(b::keyColumns);
        return b.build();
    }

    /**
     * Checks the database (reachable, logical WAL, replication permission, keys of every captured
     * table) and builds the source and sinks; fails with a message that says what to fix.
     */
    public static Endpoints create(JobConfig config) {
        PostgresSourceSettings settings = sourceSettings(config);
        List<PostgresCapturedTable> tables = PostgresPreflight.run(settings);
        Configuration log = config.eventLog();
        return Endpoints.of(
                PostgresSources.create(settings, tables),
                log.get(EventLogOptions.ENABLED) ? ParquetEventLogSink.create(log.get(EventLogOptions.PATH)) : null);
    }
}
