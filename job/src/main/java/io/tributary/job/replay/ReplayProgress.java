package io.tributary.job.replay;

import io.tributary.s3.ParquetEventLogFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-file progress of one replay run. The file readers report here; the counts are in-JVM, so the
 * entry point sees them when the job runs in its own process (a local run); on a cluster the same
 * lines are in the TaskManager log and the entry point shows events only (from accumulators).
 */
final class ReplayProgress implements ParquetEventLogFormat.Listener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReplayProgress.class);
    private static final Map<String, AtomicLong> FILES_DONE = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> BAD_FILES = new ConcurrentHashMap<>();

    private final String runId;

    ReplayProgress(String runId) {
        this.runId = runId;
    }

    @Override
    public void fileDone(String file, long rows) {
        FILES_DONE.computeIfAbsent(runId, r -> new AtomicLong()).incrementAndGet();
        LOG.info("replay {}: read {} ({} events)", runId, file, rows);
    }

    @Override
    public void badFile(String file, long rowsEmitted, String problem) {
        String line = "bad file (skipped after " + rowsEmitted + " events): " + problem;
        BAD_FILES.computeIfAbsent(runId, r -> new CopyOnWriteArrayList<>()).add(line);
        FILES_DONE.computeIfAbsent(runId, r -> new AtomicLong()).incrementAndGet();
        LOG.warn("replay {}: {}", runId, line);
    }

    /** Files finished (read or skipped) in this JVM for {@code runId}. */
    static long filesDone(String runId) {
        AtomicLong n = FILES_DONE.get(runId);
        return n == null ? 0 : n.get();
    }

    /** Files that failed while being read and were skipped, in this JVM. */
    static List<String> badFiles(String runId) {
        return BAD_FILES.getOrDefault(runId, List.of());
    }

    static void forget(String runId) {
        FILES_DONE.remove(runId);
        BAD_FILES.remove(runId);
    }
}
