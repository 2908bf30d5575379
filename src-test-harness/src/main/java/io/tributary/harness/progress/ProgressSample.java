package io.tributary.harness.progress;

import java.util.Map;

/**
 * What one progress block shows, read at one moment: rows and changes per table, the lags, the
 * restarts and the newest failure of the running job.
 *
 * @param snapshotRows snapshot rows per table through the sequencer
 * @param changes streamed changes per table through the sequencer
 * @param commitLagMillis lag behind the database in ms, -1 if unknown
 * @param slotLagBytes the replication slot's lag in bytes, -1 if unknown
 * @param restarts restarts of the job since it was submitted
 * @param lastFailure the newest failure that restarted or ended the job, or null
 */
public record ProgressSample(
        Map<String, Long> snapshotRows,
        Map<String, Long> changes,
        long commitLagMillis,
        long slotLagBytes,
        long restarts,
        String lastFailure) {}
