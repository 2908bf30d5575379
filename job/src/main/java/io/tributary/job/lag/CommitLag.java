package io.tributary.job.lag;

/**
 * The {@link LagReporter}'s {@code commitLagMillis}: how far behind the database the job is, in time. It
 * is the larger of two delays:
 *
 * <ul>
 *   <li><b>changes that arrived</b>: the delay from commit in PostgreSQL to this sequencer subtask
 *       (as the change leaves it) of the newest streamed change, while it arrived less than {@link #ARRIVAL_WINDOW_MILLIS} ago
 *       (so a backlog read after a restore shows its age, and the value returns to 0 once nothing
 *       late arrives any more);
 *   <li><b>changes not sent yet</b> (only on the subtask that polls the slot, see
 *       {@link SlotLagGauge}): now minus the latest time at which the WAL ended at or below the
 *       position PostgreSQL has sent the job's slot ({@link WalTimeline}). While the job keeps up this
 *       stays below one poll interval, whether the database is idle or busy with tables the job does
 *       not capture (the walsender moves over their WAL too); it grows by one second per second while
 *       the job does not read: backpressure from a destination, a blocked source, the snapshot phase
 *       (the slot is read only after it), or a restart (the slot's confirmed position is used then).
 * </ul>
 *
 * <p>The value is -1 until something is known (no change arrived, no poll answered) and after the
 * operator closed, so a reader that keeps gauges of a failed attempt does not see a lag that grows
 * for ever.
 */
final class CommitLag {
    /** How long the delay of an arrived change is reported: one CloudWatch period, so a period's maximum sees it. */
    static final long ARRIVAL_WINDOW_MILLIS = 60_000;

    private final WalTimeline timeline;
    // written per event by the task thread without a lock; a gauge read between the two writes sees
    // the previous change's delay with the new arrival time, which is at most one change off
    private volatile long arrivedAt = Long.MIN_VALUE;
    private volatile long arrivalDelay;
    private volatile boolean closed;

    /** @param polled whether this subtask polls the slot ({@link #polled} is called) */
    CommitLag(boolean polled) {
        this.timeline = polled ? new WalTimeline() : null;
    }

    /** Records a streamed change committed at {@code commitMicros} (epoch µs) that arrived at {@code nowMillis}. */
    void arrived(long commitMicros, long nowMillis) {
        arrivalDelay = Math.max(0, nowMillis - commitMicros / 1000);
        arrivedAt = nowMillis;
    }

    /** Records one poll of the slot at {@code nowMillis}: WAL end and sent position (-1 if unknown). */
    synchronized void polled(long nowMillis, long walLsn, long readLsn) {
        if (timeline == null) {
            throw new IllegalStateException("this subtask's commit lag was created without polling");
        }
        timeline.sample(nowMillis, walLsn, readLsn);
    }

    /** The lag at {@code nowMillis} in ms; -1 while nothing is known or after {@link #close()}. */
    synchronized long millis(long nowMillis) {
        if (closed) {
            return -1;
        }
        long lag = -1;
        if (arrivedAt != Long.MIN_VALUE) {
            lag = nowMillis - arrivedAt < ARRIVAL_WINDOW_MILLIS ? arrivalDelay : 0;
        }
        long caughtUpAt = timeline == null ? Long.MIN_VALUE : timeline.caughtUpAt();
        if (caughtUpAt != Long.MIN_VALUE) {
            lag = Math.max(lag, Math.max(0, nowMillis - caughtUpAt));
        }
        return lag;
    }

    /** The operator closed: report -1 from now on. */
    void close() {
        closed = true;
    }
}
