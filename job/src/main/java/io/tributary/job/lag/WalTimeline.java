package io.tributary.job.lag;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Samples of (time, end of the server's WAL), so a WAL position can be turned into a time: the job
 * has been sent every change committed before the latest sample time at which the WAL ended at or
 * below the position it has been sent. PostgreSQL keeps no LSN-to-time map (commit timestamps need
 * {@code track_commit_timestamp}), so the map is sampled; a sample every poll interval makes the
 * time exact to within one interval, erring towards a larger lag.
 */
final class WalTimeline {
    /** Two days of 15 s samples; older samples are dropped, and the lag computed from the rest is a lower bound. */
    static final int MAX_SAMPLES = 11_520;

    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private final int maxSamples;
    private long caughtUpAt = Long.MIN_VALUE;

    WalTimeline() {
        this(MAX_SAMPLES);
    }

    WalTimeline(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    /**
     * Records one poll: at {@code timeMillis} the WAL ended at {@code walLsn} and the job had been sent
     * up to {@code readLsn} (-1 if unknown). Samples the job has been sent past are dropped, except the
     * newest of them, which is the time the job is known to be caught up to.
     */
    void sample(long timeMillis, long walLsn, long readLsn) {
        samples.addLast(new long[] {timeMillis, walLsn});
        if (samples.size() > maxSamples) {
            samples.removeFirst();
        }
        long latest = Long.MIN_VALUE;
        int covered = 0;
        int i = 0;
        for (Iterator<long[]> it = samples.iterator(); it.hasNext(); i++) {
            long[] s = it.next();
            if (readLsn >= 0 && s[1] <= readLsn) {
                latest = s[0];
                covered = i + 1;
            }
        }
        if (latest != Long.MIN_VALUE) {
            caughtUpAt = Math.max(caughtUpAt, latest);
            for (int k = 0; k < covered - 1; k++) {
                samples.removeFirst();
            }
        }
    }

    /**
     * The latest time at which the job is known to have been sent all WAL written before it; when no
     * sample is covered yet, the first sample's time (the job is behind since at least then);
     * {@link Long#MIN_VALUE} before the first sample.
     */
    long caughtUpAt() {
        if (caughtUpAt != Long.MIN_VALUE) {
            return caughtUpAt;
        }
        return samples.isEmpty() ? Long.MIN_VALUE : samples.peekFirst()[0];
    }
}
