package io.tributary.deadletter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;

/**
 * Where a sink writer hands changes it cannot write. It is called on the writer's task thread;
 * an implementation that throws fails the job (so a handler that cannot route must say why).
 * {@link #open} runs once per parallel writer before the first letter.
 */
@FunctionalInterface
public interface DeadLetterHandler extends Serializable {

    void handle(DeadLetter deadLetter) throws Exception;

    /** Called once per writer before the first {@link #handle}; sets up clients or files. */
    default void open(int subtaskIndex) throws Exception {}

    /** Makes every letter handled so far durable; writers call it on each checkpoint. */
    default void flush() throws Exception {}

    /** Called when the writer closes. */
    default void close() throws Exception {}

    /**
     * Fails the job with the letter's cause: for a writer that has no place to put a change, the only
     * alternative would be to drop it.
     */
    static DeadLetterHandler failJob() {
        return new FailingDeadLetterHandler();
    }

    /** The {@link #failJob()} handler. */
    final class FailingDeadLetterHandler implements DeadLetterHandler {
        private static final long serialVersionUID = 1L;

        @Override
        public void handle(DeadLetter deadLetter) {
            throw new IllegalStateException(deadLetter + ". No dead-letter output is configured, so the job stops"
                    + " rather than drop the change: configure a dead-letter output.");
        }
    }

    /** Logs each dead letter at ERROR with its cause and position: the fallback when none is wired. */
    static DeadLetterHandler logging() {
        return new LoggingDeadLetterHandler();
    }

    /** The {@link #logging()} handler; a class so that it serializes without a lambda. */
    final class LoggingDeadLetterHandler implements DeadLetterHandler {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

        @Override
        public void handle(DeadLetter deadLetter) {
            LOG.error("dead letter: {} payload: {}", deadLetter, deadLetter.payloadSummary());
        }
    }
}
