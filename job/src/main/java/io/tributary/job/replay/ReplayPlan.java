package io.tributary.job.replay;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.TableSchema;
import io.tributary.s3.EventLogFileException;
import io.tributary.s3.EventLogListing;
import io.tributary.s3.EventLogTruncates;
import io.tributary.s3.ParquetEventLogReader;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The files a replay reads, checked before anything is written: every listed file's footer is
 * read (a tail read per file), so corrupt, truncated and foreign files are found up front, and
 * the total row count gives progress its denominator. Gaps in the hour partitions and schema
 * versions that change inside the range are reported; neither stops the replay (each file carries
 * its own schema, and the sinks map columns by name).
 *
 * <p>Each file is also searched for TRUNCATE rows ({@link EventLogTruncates}: the op and position
 * columns only, row groups without a T skipped), so each table's last TRUNCATE in the commit-time
 * window is known before anything is written ({@link TruncateCut}).
 */
public final class ReplayPlan {
    private final List<Path> files;
    private final long rows;
    private final List<String> badFiles;
    private final List<String> gaps;
    private final List<String> schemaChanges;
    private final Map<String, ChangeEvent> lastTruncates;

    private ReplayPlan(
            List<Path> files,
            long rows,
            List<String> badFiles,
            List<String> gaps,
            List<String> schemaChanges,
            Map<String, ChangeEvent> lastTruncates) {
        this.lastTruncates = Collections.unmodifiableMap(lastTruncates);
        this.files = Collections.unmodifiableList(files);
        this.rows = rows;
        this.badFiles = Collections.unmodifiableList(badFiles);
        this.gaps = Collections.unmodifiableList(gaps);
        this.schemaChanges = Collections.unmodifiableList(schemaChanges);
    }

    /** Lists and checks the files {@code settings} select. */
    public static ReplayPlan prepare(ReplaySettings settings) throws IOException {
        EventLogListing listing =
                EventLogListing.list(settings.logPath(), settings.tables(), settings.from(), settings.until());
        List<Path> good = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        Map<String, List<TableSchema>> versions = new LinkedHashMap<>();
        Map<String, ChangeEvent> lastTruncates = new LinkedHashMap<>();
        long from = ReplaySettings.micros(settings.from(), Long.MIN_VALUE);
        long until = ReplaySettings.micros(settings.until(), Long.MAX_VALUE);
        long rows = 0;
        for (EventLogListing.LogFile f : listing.files()) {
            try {
                ParquetEventLogReader.Footer footer = ParquetEventLogReader.footer(f.path());
                if (!footer.schema().table().toString().equals(f.table())) {
                    throw new EventLogFileException(
                            f.path(),
                            "holds table " + footer.schema().table() + " but sits in the directory of " + f.table()
                                    + ": move it to its table's directory");
                }
                for (ChangeEvent t : EventLogTruncates.read(f.path())) {
                    ChangeEvent last = lastTruncates.get(f.table());
                    if (t.commitTimeMicros() >= from
                            && t.commitTimeMicros() <= until
                            && (last == null || t.isAfter(last.commitLsn(), last.changeLsn()))) {
                        lastTruncates.put(f.table(), t);
                    }
                }
                good.add(f.path());
                rows += footer.rowCount();
                List<TableSchema> seen = versions.computeIfAbsent(f.table(), t -> new ArrayList<>());
                if (seen.stream().noneMatch(s -> s.equals(footer.schema()))) {
                    seen.add(footer.schema());
                }
            } catch (EventLogFileException e) {
                bad.add("bad file: " + e.getMessage());
            }
        }
        List<String> changes = new ArrayList<>();
        versions.forEach((table, schemas) -> {
            if (schemas.size() > 1) {
                changes.add("schema change: " + table + " has " + schemas.size() + " schema versions in the range ("
                        + schemas.stream().map(ReplayPlan::columns).collect(Collectors.joining(" | "))
                        + "); each file is replayed with its own schema");
            }
        });
        return new ReplayPlan(good, rows, bad, listing.gaps(), changes, lastTruncates);
    }

    private static String columns(TableSchema s) {
        return s.columns().stream().map(Column::name).collect(Collectors.joining(","));
    }

    /** The readable files, in table, hour, name order. */
    public List<Path> files() {
        return files;
    }

    /** Rows in the readable files, from their footers (before the commit-time filter). */
    public long rows() {
        return rows;
    }

    /** One line per file that cannot be read, with the reason. */
    public List<String> badFiles() {
        return badFiles;
    }

    public List<String> gaps() {
        return gaps;
    }

    public List<String> schemaChanges() {
        return schemaChanges;
    }

    /** Per table ({@code schema.table}), its last TRUNCATE committed inside the window. */
    public Map<String, ChangeEvent> lastTruncates() {
        return lastTruncates;
    }

    /** Every report line: bad files, gaps, schema changes, truncates. */
    public List<String> report() {
        List<String> lines = new ArrayList<>(badFiles);
        gaps.forEach(g -> lines.add("gap: " + g));
        lines.addAll(schemaChanges);
        lastTruncates.forEach((table, t) -> lines.add("truncate: " + table + " was truncated at "
                + ChangeEvent.formatLsn(t.commitLsn()) + " (transaction " + t.txId() + "): its changes before that"
                + " are not written to DynamoDB, and DynamoDB items older than it are removed as streaming did"));
        return lines;
    }
}
