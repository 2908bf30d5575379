package io.tributary.harness.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls a growing count until it reaches a target, recording when it first moved and when it
 * got there; the 10 ms poll bounds the timing error. Past the deadline it returns what it saw,
 * so a benchmark reports a shortfall instead of hanging.
 */
final class BenchPoll {
    private static final long POLL_NANOS = 10_000_000L;

    /**
     * When the count first exceeded its start value and when it reached the target (nanoTime), the last value,
     * and the process CPU time when it first moved ({@link BenchCost#processCpuNanos()}).
     */
    record Progress(long startNanos, long firstNanos, long doneNanos, long value, long target, long firstCpuNanos) {
        boolean reached() {
            return value >= target;
        }

        /** Seconds from the first movement to the target (or to the deadline). */
        double activeSeconds() {
            return (doneNanos - firstNanos) / 1e9;
        }

        /** Seconds from the start of the wait to the target (or to the deadline). */
        double totalSeconds() {
            return (doneNanos - startNanos) / 1e9;
        }

        String shortfall() {
            return reached()
                    ? ""
                    : String.format(
                            " SHORTFALL: saw %,d of %,d; job counters: %s", value, target, BenchMetrics.nonZero());
        }
    }

    /** Something that throws when the job has died. */
    @FunctionalInterface
    interface Alive {
        void check() throws Exception;
    }

    private BenchPoll() {}

    static Progress await(
            long startNanos, Duration deadline, Alive alive, Callable<Long> count, long target, long pollNanos)
            throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        long first = -1;
        long firstCpu = -1;
        long lastAliveCheck = 0;
        long value = 0;
        while (true) {
            value = count.call();
            long now = System.nanoTime();
            if (first < 0 && value > 0) {
                first = now;
                firstCpu = BenchCost.processCpuNanos();
            }
            if (value >= target || now > end) {
                return new Progress(
                        startNanos,
                        first < 0 ? now : first,
                        now,
                        value,
                        target,
                        firstCpu < 0 ? BenchCost.processCpuNanos() : firstCpu);
            }
            if (now - lastAliveCheck > 1_000_000_000L) {
                alive.check();
                lastAliveCheck = now;
            }
            LockSupport.parkNanos(pollNanos);
        }
    }

    static Progress await(long startNanos, Duration deadline, Alive alive, Callable<Long> count, long target)
            throws Exception {
        return await(startNanos, deadline, alive, count, target, POLL_NANOS);
    }

    /** Waits for {@code count} to reach {@code target}; throws past the deadline (set-up steps). */
    static void until(String what, Duration deadline, Alive alive, Callable<Long> count, long target) throws Exception {
        Progress p = await(System.nanoTime(), deadline, alive, count, target, 100_000_000L);
        if (!p.reached()) {
            throw new IllegalStateException(what + ": not reached within " + deadline);
        }
    }
}
