package io.tributary.s3;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The committed part files of an event log for some tables and a commit-time range, found by
 * walking {@code <base>/<schema.table>/dt=YYYY-MM-DD/hr=HH/} and pruning day and hour directories
 * outside the range (a file's hour holds only commits of that hour, UTC).
 *
 * <p>Hours inside a table's range without a directory are reported as gaps. The log writes a
 * directory only for an hour that had changes, so a gap is either a quiet hour or lost files; the
 * listing cannot tell which, and says so.
 */
public final class EventLogListing {
    private final List<LogFile> files;
    private final List<String> gaps;

    private EventLogListing(List<LogFile> files, List<String> gaps) {
        this.files = Collections.unmodifiableList(files);
        this.gaps = Collections.unmodifiableList(gaps);
    }

    /** One committed part file and the hour partition it sits in. */
    public static final class LogFile {
        private final String table;
        private final Instant hour;
        private final Path path;
        private final long size;

        LogFile(String table, Instant hour, Path path, long size) {
            this.table = table;
            this.hour = hour;
            this.path = path;
            this.size = size;
        }

        /** {@code schema.table}, the directory name. */
        public String table() {
            return table;
        }

        /** Start of the file's commit hour, UTC. */
        public Instant hour() {
            return hour;
        }

        public Path path() {
            return path;
        }

        public long size() {
            return size;
        }
    }

    /**
     * Lists {@code basePath} for tables whose {@code schema.table} name fully matches {@code tables},
     * keeping hours that overlap {@code [from, until]} (either may be null: unbounded).
     */
    public static EventLogListing list(String basePath, Pattern tables, Instant from, Instant until)
            throws IOException {
        Path base = new Path(basePath);
        FileSystem fs = base.getFileSystem();
        Instant firstHour = from == null ? null : from.truncatedTo(ChronoUnit.HOURS);
        List<LogFile> files = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        for (FileStatus tableDir : dirs(fs, base, "")) {
            String table = tableDir.getPath().getName();
            if (!tables.matcher(table).matches()) {
                continue;
            }
            TreeSet<Instant> hours = new TreeSet<>();
            for (FileStatus dayDir : dirs(fs, tableDir.getPath(), "dt=")) {
                LocalDate day = parseDay(dayDir.getPath());
                Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
                if ((until != null && dayStart.isAfter(until))
                        || (firstHour != null
                                && !dayStart.plus(1, ChronoUnit.DAYS).isAfter(firstHour))) {
                    continue;
                }
                for (FileStatus hourDir : dirs(fs, dayDir.getPath(), "hr=")) {
                    Instant hour = dayStart.plus(parseHour(hourDir.getPath()), ChronoUnit.HOURS);
                    if ((until != null && hour.isAfter(until)) || (firstHour != null && hour.isBefore(firstHour))) {
                        continue;
                    }
                    FileStatus[] entries = fs.listStatus(hourDir.getPath());
                    for (FileStatus f : entries == null ? new FileStatus[0] : entries) {
                        if (!f.isDir()
                                && EventLogCatalog.isCommittedPart(f.getPath().getName())) {
                            files.add(new LogFile(table, hour, f.getPath(), f.getLen()));
                            hours.add(hour);
                        }
                    }
                }
            }
            gaps.addAll(gaps(table, hours));
        }
        files.sort(Comparator.comparing(LogFile::table)
                .thenComparing(LogFile::hour)
                .thenComparing(f -> f.path().getName()));
        return new EventLogListing(files, gaps);
    }

    private static List<String> gaps(String table, TreeSet<Instant> hours) {
        List<String> gaps = new ArrayList<>();
        Instant previous = null;
        for (Instant h : hours) {
            if (previous != null && h.isAfter(previous.plus(1, ChronoUnit.HOURS))) {
                Instant first = previous.plus(1, ChronoUnit.HOURS);
                long missing = ChronoUnit.HOURS.between(first, h);
                gaps.add(table + ": no partition for " + missing + " hour(s) from " + first + " to "
                        + h.minus(1, ChronoUnit.HOURS)
                        + " (a quiet hour, or files missing from the log: check the bucket)");
            }
            previous = h;
        }
        return gaps;
    }

    public List<LogFile> files() {
        return files;
    }

    /** Report lines, one per run of missing hours between a table's first and last listed hour. */
    public List<String> gaps() {
        return gaps;
    }

    private static LocalDate parseDay(Path dir) throws IOException {
        try {
            return LocalDate.parse(dir.getName().substring(3));
        } catch (DateTimeParseException e) {
            throw new IOException(dir + " is not a dt=YYYY-MM-DD partition of the event log: move it away", e);
        }
    }

    private static int parseHour(Path dir) throws IOException {
        try {
            int h = Integer.parseInt(dir.getName().substring(3));
            if (h < 0 || h > 23) {
                throw new NumberFormatException("hour " + h);
            }
            return h;
        } catch (NumberFormatException e) {
            throw new IOException(dir + " is not an hr=HH partition of the event log: move it away", e);
        }
    }

    private static List<FileStatus> dirs(FileSystem fs, Path dir, String prefix) throws IOException {
        FileStatus[] entries = fs.listStatus(dir);
        List<FileStatus> dirs = new ArrayList<>();
        for (FileStatus e : entries == null ? new FileStatus[0] : entries) {
            String name = e.getPath().getName();
            if (e.isDir() && name.startsWith(prefix) && !name.startsWith(".") && !name.startsWith("_")) {
                dirs.add(e);
            }
        }
        dirs.sort(Comparator.comparing(f -> f.getPath().getName()));
        return dirs;
    }
}
