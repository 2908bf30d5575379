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
    /** How long the source waits for a batch of changes to fill before it hands on what it has. */
    static final long POLL_INTERVAL_MILLIS = 20;

    private PostgresSources() {}

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
            throw new IllegalArgumentException("no table to capture: check tables.include " + settings.tableInclude());
        }
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        Map<TableId, List<String>> tableKeys = new LinkedHashMap<>();
        for (PostgresCapturedTable t : tables) {
            if (!t.hasPrimaryKey()) {
                keys.put(t.table(), t.keyColumns());
            }
            tableKeys.put(t.table(), t.keyColumns());
        }
        Start start = Start.read(settings);
        PostgresChangeDeserializer deserializer =
                new PostgresChangeDeserializer(keys, tableKeys, PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER);
        PostgresSourceBuilder<ChangeEvent> builder =
                PostgresSourceBuilder.PostgresIncrementalSource.<ChangeEvent>builder()
                        .hostname(settings.hostname())
                        .port(settings.port())
                        .database(settings.database())
                        .username(settings.username())
                        .password(PostgresConnectionAuth.builderPassword(settings))
                        .slotName(settings.slotName())
                        .decodingPluginName("pgoutput")
                        .schemaList(tables.stream()
                                .map(t -> t.table().schema())
                                .distinct()
                                .toArray(String[]::new))
                        .tableList(tables.stream().map(t -> regexFor(t.table())).toArray(String[]::new))
                        .startupOptions(
                                start.snapshot
                                        ? StartupOptions.initial()
                                        : start.slotExists ? StartupOptions.committed() : StartupOptions.latest())
                        .heartbeatInterval(settings.heartbeatInterval())
                        .connectMaxRetries(settings.connectMaxRetries())
                        .connectTimeout(settings.connectTimeout())
                        .splitSize(settings.splitSize())
                        .debeziumProperties(debeziumProperties(settings, keys, textArrays(tables)))
                        .deserializer(deserializer);
        // A table added to tables.include on a restored job is snapshotted, then streamed; a removed one is
        // dropped from the source's state (SnapshotSplitAssigner.captureNewlyAddedTables, run on restore).
        builder.scanNewlyAddedTableEnabled(true);
        // snapshot rows learn their chunk's position, and each table's first chunk brings the baseline TRUNCATE
        return PostgresChunkPositionSource.of(
                builder, deserializer, start.snapshot ? start.baselineLsn : 0L, wholeTableChunks(tables));
    }

    /**
     * The tables the snapshot reads as one chunk (those keyed by configuration, see {@link PostgresChunkDialect}),
     * each with the column that types its chunk: its first key column, which is in every record key.
     */
    static Map<String, String> wholeTableChunks(List<PostgresCapturedTable> tables) {
        Map<String, String> whole = new LinkedHashMap<>();
        for (PostgresCapturedTable t : tables) {
            if (!t.hasPrimaryKey()) {
                whole.put(t.table().toString(), t.keyColumns().get(0));
            }
        }
        return whole;
    }

    /** The multi-dimensional array columns of {@code tables}, {@code schema.table.column}. */
    static List<String> textArrays(List<PostgresCapturedTable> tables) {
        return tables.stream()
                .flatMap(t -> t.textArrays().stream().map(c -> t.table() + "." + c))
                .collect(Collectors.toList());
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
                return new Start(
                        slotExists,
                        settings.snapshotMode().snapshots(slotExists),
                        PostgresSnapshotBaseline.read(c, settings.slotName()));
            } catch (SQLException e) {
                throw new PostgresPreflightException(
                        "cannot read the WAL position and slot '" + settings.slotName() + "' on PostgreSQL: "
                                + e.getMessage(),
                        e);
            }
        }
    }

    static Properties debeziumProperties(PostgresSourceSettings settings, Map<TableId, List<String>> keys) {
        return debeziumProperties(settings, keys, List.of());
    }

    /**
     * The Debezium options the deserializer and type mapper rely on (see {@link PostgresTypeMapper});
     * {@code textArrays} are the array columns declared with more than one dimension, carried as text.
     */
    static Properties debeziumProperties(
            PostgresSourceSettings settings, Map<TableId, List<String>> keys, List<String> textArrays) {
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
        p.setProperty("tributary_text." + PostgresTextValueConverter.TEXT_ARRAYS, String.join("\n", textArrays));
        p.setProperty("unavailable.value.placeholder", PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER);
        // Debezium 1.9 skips TRUNCATE unless told (PostgresConnectorConfig.getSkippedOperations adds 't' while
        // truncate.handling.mode is 'skip', its default); pgoutput then decodes it into one record per table.
        p.setProperty("truncate.handling.mode", "include");
        // Debezium follows every delete with a tombstone (a record without a value, for Kafka log compaction).
        // Flink CDC 3.5's Postgres source does not switch them off (its MySQL and Oracle sources do) and its record
        // emitter logs each one at INFO as an unknown element, whole row key and offsets included, and counts it in
        // numRecordsInErrors: one log line per deleted row, and a row's key in the logs.
        p.setProperty("tombstones.on.delete", "false");
        // Debezium 1.9's ChangeEventQueue.poll (which Flink CDC's stream fetcher calls) returns a batch only when it
        // holds max.batch.size (2,048) records or poll.interval.ms has passed: with the default 500 ms every change
        // below ~4,000 changes/s waited up to half a second before it left the source. Full batches still return
        // at once, so a shorter interval costs only more, smaller polls at low rates.
        p.setProperty("poll.interval.ms", Long.toString(POLL_INTERVAL_MILLIS));
        // TLS (and further driver properties) for Debezium's JDBC and replication connections and the snapshot pool
        p.putAll(PostgresConnectionProperties.debezium(settings));
        if (!settings.excludedColumns().isEmpty()) {
            p.setProperty("column.exclude.list", String.join(",", settings.excludedColumns()));
        }
        if (!keys.isEmpty()) {
            // Gives records of tables without a primary key a key made of the configured columns.
            p.setProperty(
                    "message.key.columns",
                    keys.entrySet().stream()
                            .map(e -> regexFor(e.getKey()) + ":" + String.join(",", e.getValue()))
                            .collect(Collectors.joining(";")));
        }
        return p;
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
