package io.tributary.kinesis;

import java.io.Serializable;

/**
 * Receives what the Kinesis sink cannot deliver ({@link DeadLetter}), so nothing is dropped silently.
 *
 * <p>Called on the sink writer's task thread, before the writer's next checkpoint completes; a
 * handler that buffers must make its letters durable in {@link #flush()}, which the writer calls
 * on every checkpoint. Throwing fails the job (and the letter is retried after the restart, as the
 * event is replayed from the last checkpoint).
 */
public interface DeadLetterHandler extends Serializable {

    /** Called once per writer before the first letter. */
    default void open(int subtaskId) throws Exception {}

    void handle(DeadLetter letter) throws Exception;

    /** Makes every letter handled so far durable; called on each checkpoint. */
    default void flush() throws Exception {}

    default void close() throws Exception {}

    /**
     * The default when none is configured: fails the job with the letter's cause, because without a
     * handler the only alternative would be to drop the change.
     */
    static DeadLetterHandler failJob() {
        return letter -> {
            throw new KinesisSinkException(letter + ". No dead-letter handler is configured for the Kinesis sink,"
                    + " so the job stops rather than drop the change: configure a dead-letter output.");
        };
    }
}
