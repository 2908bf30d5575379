package io.tributary.s3;

import io.tributary.event.TableSchema;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The tables of an event log and their current schemas, read from the footer of the newest part
 * file of each table directory. Works on any Flink file system ({@code file://}, {@code s3://}).
 */
public final class EventLogCatalog {
    private EventLogCatalog() {}

    /** One captured table of the log. */
    public static final class Table {
        private final TableSchema schema;
        private final LocalDate firstDay;
        private final Path newestFile;

        Table(TableSchema schema, LocalDate firstDay, Path newestFile) {
            this.schema = schema;
            this.firstDay = firstDay;
            this.newestFile = newestFile;
        }

        /** The schema of the newest file. */
        public TableSchema schema() {
            return schema;
        }

        /** The oldest {@code dt} partition: where Athena's partition projection starts. */
        public LocalDate firstDay() {
            return firstDay;
        }

        public Path newestFile() {
            return newestFile;
        }
    }

    /** Every table under {@code basePath} that has at least one committed part file, by name. */
    public static List<Table> read(String basePath) throws IOException {
        Path base = new Path(basePath);
        FileSystem fs = base.getFileSystem();
        List<Table> tables = new ArrayList<>();
        for (FileStatus tableDir : sortedDirs(fs, base, "")) {
            List<FileStatus> days = sortedDirs(fs, tableDir.getPath(), "dt=");
            Optional<FileStatus> newest = newestPart(fs, days);
            if (newest.isPresent()) {
                LocalDate firstDay =
                        LocalDate.parse(days.get(0).getPath().getName().substring(3));
                tables.add(new Table(
                        footerSchema(newest.get().getPath()),
                        firstDay,
                        newest.get().getPath()));
            }
        }
        return tables;
    }

    /** The {@link TableSchema} stored in a part file's footer. */
    public static TableSchema footerSchema(Path partFile) throws IOException {
        return ParquetEventLogReader.footer(partFile).schema();
    }

    private static Optional<FileStatus> newestPart(FileSystem fs, List<FileStatus> days) throws IOException {
        for (int d = days.size() - 1; d >= 0; d--) {
            List<FileStatus> hours = sortedDirs(fs, days.get(d).getPath(), "hr=");
            for (int h = hours.size() - 1; h >= 0; h--) {
                FileStatus[] files = fs.listStatus(hours.get(h).getPath());
                // Files of one checkpoint are closed together, so neither names nor times order them:
                // the newest is the one holding the greatest WAL position.
                FileStatus newest = null;
                long newestLsn = Long.MIN_VALUE;
                for (FileStatus f : files == null ? new FileStatus[0] : files) {
                    if (!f.isDir() && isCommittedPart(f.getPath().getName())) {
                        long lsn = maxLsn(f.getPath());
                        if (newest == null
                                || lsn > newestLsn
                                || (lsn == newestLsn && f.getModificationTime() > newest.getModificationTime())) {
                            newest = f;
                            newestLsn = lsn;
                        }
                    }
                }
                if (newest != null) {
                    return Optional.of(newest);
                }
            }
        }
        return Optional.empty();
    }

    /** The greatest {@code lsn} in a part file, from its footer statistics (no data pages read). */
    static long maxLsn(Path partFile) throws IOException {
        long max = Long.MIN_VALUE;
        try (ParquetFileReader reader = ParquetFileReader.open(new FlinkParquetInputFile(partFile))) {
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                for (ColumnChunkMetaData column : block.getColumns()) {
                    if (column.getPath().toDotString().equals(ParquetEventLogSchema.LSN)
                            && column.getStatistics() != null
                            && column.getStatistics().hasNonNullValue()) {
                        max = Math.max(max, ((Number) column.getStatistics().genericGetMax()).longValue());
                    }
                }
            }
        }
        return max;
    }

    /** In-progress files are hidden ({@code .part-…}); committed ones are {@code part-….parquet}. */
    static boolean isCommittedPart(String name) {
        return name.startsWith("part-") && name.endsWith(".parquet");
    }

    private static List<FileStatus> sortedDirs(FileSystem fs, Path dir, String prefix) throws IOException {
        FileStatus[] entries = fs.listStatus(dir);
        List<FileStatus> dirs = new ArrayList<>();
        if (entries != null) {
            for (FileStatus e : entries) {
                String name = e.getPath().getName();
                if (e.isDir() && name.startsWith(prefix) && !name.startsWith(".") && !name.startsWith("_")) {
                    dirs.add(e);
                }
            }
        }
        dirs.sort(Comparator.comparing(f -> f.getPath().getName()));
        return dirs;
    }
}
