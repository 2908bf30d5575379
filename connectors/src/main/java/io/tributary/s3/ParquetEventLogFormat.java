package io.tributary.s3;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads event log part files in a Flink {@code FileSource}: one split per file (Parquet files are
 * not split), each read with the schema in its own footer by {@link ParquetEventLogReader}.
 *
 * <p>A file that cannot be read is either fatal ({@code failOnBadFile}: the read fails with the
 * file and the reason) or skipped: the {@link Listener} gets a report line and the rest of that
 * file is dropped. Restores skip the rows already emitted (the split's checkpointed skip count).
 */
public final class ParquetEventLogFormat implements BulkFormat<ChangeEvent, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 512;

    private final boolean failOnBadFile;
    private final Listener listener;

    /** Hears about each finished and each bad file; called on the task that reads it. */
    public interface Listener extends Serializable {
        void fileDone(String file, long rows);

        void badFile(String file, long rowsEmitted, String problem);
    }

    public ParquetEventLogFormat(boolean failOnBadFile, Listener listener) {
        this.failOnBadFile = failOnBadFile;
        this.listener = listener;
    }

    @Override
    public Reader<ChangeEvent> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return restoreReader(config, split);
    }

    @Override
    public Reader<ChangeEvent> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition()
                .map(CheckpointedPosition::getRecordsAfterOffset)
                .orElse(0L);
        return new FileReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }

    private final class FileReader implements BulkFormat.Reader<ChangeEvent> {
        private final String file;
        private ParquetEventLogReader reader;
        private long emitted;
        private boolean done;

        FileReader(FileSourceSplit split, long skip) throws IOException {
            this.file = split.path().toString();
            try {
                reader = ParquetEventLogReader.open(split.path());
                for (long i = 0; i < skip && reader.next() != null; i++) {
                    emitted++;
                }
            } catch (EventLogFileException e) {
                bad(e);
            }
        }

        @Override
        public RecordIterator<ChangeEvent> readBatch() throws IOException {
            if (done) {
                return null;
            }
            long start = emitted;
            List<ChangeEvent> batch = new ArrayList<>(BATCH);
            try {
                while (batch.size() < BATCH) {
                    ChangeEvent e = reader.next();
                    if (e == null) {
                        done = true;
                        listener.fileDone(file, emitted + batch.size());
                        break;
                    }
                    batch.add(e);
                }
            } catch (EventLogFileException e) {
                // the good rows before the failure go out; the rest of the file is reported and dropped
                emitted += batch.size();
                bad(e);
                return batch.isEmpty()
                        ? null
                        : new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, start);
            }
            emitted += batch.size();
            if (batch.isEmpty()) {
                return null;
            }
            return new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, start);
        }

        private void bad(EventLogFileException e) throws IOException {
            if (failOnBadFile) {
                throw new IOException(
                        "replay stops at a bad event log file (on-bad-file = fail): " + e.getMessage(), e);
            }
            done = true;
            listener.badFile(file, emitted, e.getMessage());
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
            }
        }
    }
}
