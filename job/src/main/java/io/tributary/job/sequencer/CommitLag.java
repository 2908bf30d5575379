package io.tributary.job.sequencer;

/**
 * The sequencer's {@code commitLagMillis}: how long the newest streamed change took from its commit
 * in PostgreSQL to the sequencer, measured when it arrived. The value does not depend on when it is
 * read, so on an idle database it stays flat at the delay of the last change instead of growing
 * with the idle time (which paged operators for a healthy job). A job that stops reading shows in
 * {@code replicationSlotLagBytes} (the slot is not confirmed while WAL is written), in failed
 * checkpoints and in restarts, each with its own alarm.
 */
final class CommitLag {
    private volatile long millis = -1;

    /** Records a streamed change committed at {@code commitMicros} (epoch µs) that arrived at {@code nowMillis}. */
    void record(long commitMicros, long nowMillis) {
        millis = Math.max(0, nowMillis - commitMicros / 1000);
    }

    /** The delay of the newest streamed change in ms; -1 before the first. */
    long millis() {
        return millis;
    }
}
