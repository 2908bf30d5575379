package io.tributary.postgres;

import io.tributary.event.ChangeEvent;
import io.tributary.event.TableId;

import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Builds the Flink CDC FLIP-27 PostgreSQL source (pgoutput, parallel lock-free snapshot, then the WAL)
 * that emits {@link ChangeEvent}s.
 *
 * <p>The table list is the exact set the preflight resolved from the include/exclude patterns, so
 * Debezium's regex filters (which cannot combine include and exclude lists) never see the patterns.
 */
public final class PostgresSources {
    private PostgresSources() {
    }

    /** Runs {@link PostgresPreflight}, which also prepares the publication, and builds the source for its tables. */
    public static PostgresIncrementalSource<ChangeEvent> create(PostgresSourceSettings settings) {
        return create(settings, PostgresPreflight.run(settings));
    }

    /**
     * Builds the source for {@code tables}, as returned by {@link PostgresPreflight#run}, which must have run:
     * the source reads the publication it prepared and never creates or alters one itself.
     */
    public static PostgresIncrementalSource<ChangeEvent> create(
            PostgresSourceSettings settings, List<PostgresCapturedTable> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no table to capture: check tableInclude " + settings.tableInclude());
        }
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        Map<TableId, List<String>> tableKeys = new LinkedHashMap<>();
        for (PostgresCapturedTable t : tables) {
            if (!t.primaryKey()) {
                keys.put(t.table(), t.keyColumns());
            }
            tableKeys.put(t.table(), t.keyColumns());
        }
        Start start = Start.read(settings);
        PostgresChangeDeserializer deserializer =
                new PostgresChangeDeserializer(keys, tableKeys, PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER);
        PostgresSourceBuilder<ChangeEvent> builder = PostgresSourceBuilder.PostgresIncrementalSource.<ChangeEvent>builder()
                .hostname(settings.hostname())
                .port(settings.port())
                .database(settings.database())
                .username(settings.username())
                .password(settings.password())
                .slotName(settings.slotName())
                .decodingPluginName("pgoutput")
                .schemaList(tables.stream().map(t -> t.table().schema()).distinct().toArray(String[]::new))
                .tableList(tables.stream().map(t -> regexFor(t.table())).toArray(String[]::new))
                .startupOptions(start.snapshot ? StartupOptions.initial()
                        : start.slotExists ? StartupOptions.committed() : StartupOptions.latest())
                .heartbeatInterval(settings.heartbeatInterval())
                .connectMaxRetries(settings.connectMaxRetries())
                .connectTimeout(settings.connectTimeout())
                .splitSize(settings.splitSize())
                .debeziumProperties(debeziumProperties(settings, keys))
                .deserializer(deserializer);
        String chunkKey = chunkKeyColumn(tables, settings.snapshotEnabled());
        if (chunkKey != null) {
            builder.chunkKeyColumn(chunkKey);
        }
        // snapshot rows learn their chunk's position, and each table's first chunk brings the baseline TRUNCATE
        return PostgresChunkPositionSource.of(builder, deserializer, start.snapshot ? start.baselineLsn : 0L);
    }

    /** What a start without state does, decided from the slot as it is now (a restored job ignores it). */
    static final class Start {
        final boolean slotExists;
        final boolean snapshot;
        final long baselineLsn;

        private Start(boolean slotExists, boolean snapshot, long baselineLsn) {
            this.slotExists = slotExists;
            this.snapshot = snapshot;
            this.baselineLsn = baselineLsn;
        }

        static Start read(PostgresSourceSettings settings) {
            try (Connection c = PostgresPreflight.connect(settings, Duration.ofMillis(500))) {
                boolean slotExists = PostgresSnapshotBaseline.slotExists(c, settings.slotName());
                return new Start(slotExists, settings.snapshotMode().snapshots(slotExists),
                        PostgresSnapshotBaseline.read(c, settings.slotName()));
            } catch (SQLException e) {
                throw new PostgresPreflightException("cannot read the WAL position and slot '" + settings.slotName()
                        + "' on PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    /** The Debezium options the deserializer and type mapper rely on; see {@link PostgresTypeMapper}. */
    static Properties debeziumProperties(PostgresSourceSettings settings, Map<TableId, List<String>> keys) {
        Properties p = new Properties();
        p.setProperty("publication.name", settings.publicationName());
        // PostgresPreflight creates the publication for the captured tables. Debezium must not touch it: in
        // "filtered" mode every snapshot backfill narrows it to one table, and pgoutput then drops the other
        // tables' changes until the stream split widens it again (see PostgresPublication).
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("include.unknown.datatypes", "true");
        // numeric, date, timestamp(tz) and time as text, so NaN, ±infinity, BC dates and 24:00:00 survive
        p.setProperty("converters", "tributary_text");
        p.setProperty("tributary_text.type", PostgresTextValueConverter.class.getName());
        p.setProperty("unavailable.value.placeholder", PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER);
        // Debezium 1.9 skips TRUNCATE unless told (PostgresConnectorConfig.getSkippedOperations adds 't' while
        // truncate.handling.mode is 'skip', its default); pgoutput then decodes it into one record per table.
        p.setProperty("truncate.handling.mode", "include");
        if (!settings.excludedColumns().isEmpty()) {
            p.setProperty("column.exclude.list", String.join(",", settings.excludedColumns()));
        }
        if (!keys.isEmpty()) {
            // Gives records of tables without a primary key a key made of the configured columns.
            p.setProperty("message.key.columns", keys.entrySet().stream()
                    .map(e -> regexFor(e.getKey()) + ":" + String.join(",", e.getValue()))
                    .collect(Collectors.joining(";")));
        }
        return p;
    }

    /**
     * Flink CDC 3.5 takes one chunk key column for all tables, needed only to snapshot a table without a
     * primary key; it must then exist in every captured table.
     */
    static String chunkKeyColumn(List<PostgresCapturedTable> tables, boolean snapshot) {
        List<PostgresCapturedTable> noPk = tables.stream().filter(t -> !t.primaryKey()).collect(Collectors.toList());
        if (!snapshot || noPk.isEmpty()) {
            return null;
        }
        String column = noPk.get(0).keyColumns().get(0);
        List<String> lacking = tables.stream()
                .filter(t -> !t.columns().contains(column))
                .map(t -> t.table().toString())
                .collect(Collectors.toList());
        if (!lacking.isEmpty()) {
            throw new IllegalArgumentException("cannot snapshot table(s) without a primary key "
                    + noPk.stream().map(t -> t.table().toString()).collect(Collectors.toList())
                    + ": the snapshot splits them by one column for all tables, '" + column
                    + "' (their first configured key column), which " + lacking
                    + " lack. Add a primary key, capture those tables in a separate job, or disable the snapshot");
        }
        return column;
    }

    /** An exact-match Debezium filter regex for one table. */
    static String regexFor(TableId table) {
        return escape(table.schema()) + "\\." + escape(table.table());
    }

    private static String escape(String name) {
        StringBuilder s = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }
}
