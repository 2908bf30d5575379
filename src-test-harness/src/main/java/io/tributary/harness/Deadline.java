package io.tributary.harness;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition until a deadline, polling; the error names what was awaited. */
public final class Deadline {
    private final long endNanos;
    private final Duration timeout;

    private Deadline(Duration timeout) {
        this.timeout = timeout;
        this.endNanos = System.nanoTime() + timeout.toNanos();
    }

    public static Deadline of(Duration timeout) {
        return new Deadline(timeout);
    }

    /** Polls {@code condition} every 200 ms until it is true; throws after the deadline. */
    public void await(String what, Callable<Boolean> condition) throws Exception {
        await(() -> what, condition);
    }

    /** As {@link #await(String, Callable)}, with a description built when the wait times out. */
    public void await(Supplier<String> what, Callable<Boolean> condition) throws Exception {
        Exception last = null;
        while (System.nanoTime() < endNanos) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            LockSupport.parkNanos(200_000_000L);
        }
        AssertionError error = new AssertionError("timed out after " + timeout + " waiting for " + what.get());
        if (last != null) {
            error.initCause(last);
        }
        throw error;
    }
}
