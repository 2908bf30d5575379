package io.tributary.dynamodb;

import io.tributary.deadletter.DeadLetter;
import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;

import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a DynamoDB writer's asynchronous requests leave for the task thread: the first fatal failure and the dead
 * letters. SDK and retry threads record them; the task thread throws the failure and hands the letters to the
 * handler (so handlers need not be thread-safe). {@link #lock} is also the monitor the writer guards and waits on
 * for its own in-flight requests: a recorded failure wakes those waits.
 */
final class DynamoDbWriteOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbWriteOutcomes.class);

    final Object lock = new Object();
    private final String destination;
    private final DeadLetterHandler handler;
    private final Counter deadLetterCount;
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private RuntimeException failure;

    DynamoDbWriteOutcomes(String destination, DeadLetterHandler handler, Counter deadLetterCount) {
        this.destination = destination;
        this.handler = handler;
        this.deadLetterCount = deadLetterCount;
    }

    /** Records the first fatal failure and wakes every wait on {@link #lock}. */
    void fail(RuntimeException e) {
        synchronized (lock) {
            if (failure == null) {
                failure = e;
            }
            lock.notifyAll();
        }
    }

    boolean failed() {
        synchronized (lock) {
            return failure != null;
        }
    }

    void throwIfFailed() {
        synchronized (lock) {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Queues a dead letter for {@code event}; any thread. */
    void deadLetter(ChangeEvent event, String cause) {
        synchronized (lock) {
            deadLetters.add(DeadLetter.of(event, destination, cause));
        }
    }

    /** Hands the queued dead letters to the handler; task thread only. */
    void handDeadLetters() throws IOException {
        List<DeadLetter> ready;
        synchronized (lock) {
            if (deadLetters.isEmpty()) {
                return;
            }
            ready = new ArrayList<>(deadLetters);
            deadLetters.clear();
        }
        for (DeadLetter letter : ready) {
            deadLetterCount.inc();
            LOG.warn("{} dead letter: {}", destination, letter);
            try {
                handler.handle(letter);
            } catch (Exception e) {
                throw new IOException("the dead-letter handler failed on " + letter, e);
            }
        }
    }

    void close() throws Exception {
        handler.close();
    }
}
