package io.tributary.event;

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

    /** Called when the writer closes. */
    default void close() throws Exception {}

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
