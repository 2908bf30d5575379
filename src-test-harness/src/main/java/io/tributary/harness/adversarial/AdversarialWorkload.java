package io.tributary.harness.adversarial;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What a real database sends, on purpose: several concurrent sessions (threads with their own
 * connections, see {@link AdversarialSession}) over the {@link AdversarialSchema} tables for a
 * bounded number of rounds, and between rounds, while the sessions wait at a barrier, the steps
 * of {@link AdversarialScenarios}: the concurrent insert/delete case and TRUNCATE of one table and
 * of two. Some rounds start with a 10 MB doc, later updated without touching its body.
 *
 * <p>Same seed, same statements (each session owns its keys, so nothing depends on timing but the
 * interleaving of the sessions' transactions in the WAL). Prints a line per round. It keeps no
 * tally of expected changes on purpose: a test checks the pipeline against the database's own
 * decoding ({@link TestDecodingSlot}).
 */
public final class AdversarialWorkload implements AutoCloseable {
    /** Opens a connection to the workload's database. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    /** The workload's settings. */
    public record Settings(
            long seed,
            int sessions,
            int rounds,
            int transactionsPerRound,
            int oddValuePercent,
            int bigValues,
            int bigValueBytes,
            int truncateEvery,
            int raceEvery,
            Duration roundPause) {}

    /** What has been done so far; safe to read while running. */
    public static final class Tally {
        final AtomicLong transactions = new AtomicLong();
        final AtomicLong changes = new AtomicLong();
        final AtomicLong rolledBack = new AtomicLong();
        final AtomicLong savepointsRolledBack = new AtomicLong();
        final AtomicLong keyUpdates = new AtomicLong();
        final AtomicLong unchangedToastUpdates = new AtomicLong();
        final AtomicLong bigValues = new AtomicLong();
        final AtomicLong races = new AtomicLong();
        final AtomicLong truncates = new AtomicLong();
        final AtomicInteger rounds = new AtomicInteger();

        void committed(int rowChanges) {
            transactions.incrementAndGet();
            changes.addAndGet(rowChanges);
        }

        public int rounds() {
            return rounds.get();
        }

        public long transactions() {
            return transactions.get();
        }

        public long truncates() {
            return truncates.get();
        }

        public long races() {
            return races.get();
        }

        @Override
        public String toString() {
            return transactions + " transactions committed (" + changes + " statements' changes, " + keyUpdates
                    + " key updates, " + unchangedToastUpdates + " TOAST-unchanged updates, " + bigValues
                    + " 10 MB values), " + savepointsRolledBack + " savepoints rolled back, " + rolledBack
                    + " transactions rolled back, " + races + " concurrent insert/delete, " + truncates + " truncates";
        }
    }

    private final ConnectionFactory connections;
    private final Settings settings;
    private final PrintStream progress;
    private final Tally tally = new Tally();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();

    private AdversarialWorkload(Builder b) {
        this.connections = b.connections;
        this.settings = new Settings(
                b.seed,
                b.sessions,
                b.rounds,
                b.transactionsPerRound,
                b.oddValuePercent,
                b.bigValues,
                b.bigValueBytes,
                b.truncateEvery,
                b.raceEvery,
                b.roundPause);
        this.progress = b.progress;
    }

    public static Builder builder(ConnectionFactory connections) {
        return new Builder(connections);
    }

    public Settings settings() {
        return settings;
    }

    public Tally tally() {
        return tally;
    }

    /** Starts the sessions on daemon threads; returns at once. */
    public synchronized AdversarialWorkload start() throws SQLException {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("adversarial workload already started");
        }
        List<AdversarialSession> sessions = new ArrayList<>();
        AdversarialScenarios scenarios;
        try {
            for (int i = 0; i < settings.sessions(); i++) {
                sessions.add(new AdversarialSession(i, settings.sessions(), settings, tally, connections.open()));
            }
            scenarios = new AdversarialScenarios(connections);
        } catch (SQLException | RuntimeException e) {
            for (AdversarialSession s : sessions) {
                s.close();
            }
            throw e;
        }
        CyclicBarrier barrier = new CyclicBarrier(sessions.size(), () -> betweenRounds(scenarios, sessions));
        AtomicInteger running = new AtomicInteger(sessions.size());
        for (AdversarialSession session : sessions) {
            Thread t = new Thread(
                    () -> runSession(session, barrier, scenarios, running), "adversarial-session-" + threads.size());
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        return this;
    }

    /** Runs the whole workload on background threads and waits for it; throws if it failed. */
    public Tally runBlocking(Duration timeout) throws Exception {
        start();
        if (!awaitTermination(timeout)) {
            throw new IllegalStateException("adversarial workload not done after " + timeout);
        }
        throwIfFailed();
        return tally;
    }

    private void runSession(
            AdversarialSession session, CyclicBarrier barrier, AdversarialScenarios scenarios, AtomicInteger running) {
        try (session) {
            for (int round = 0; round < settings.rounds() && failure.get() == null; round++) {
                session.round(isBigRound(round) && session.index() == 0);
                barrier.await();
            }
        } catch (BrokenBarrierException e) {
            failure.compareAndSet(null, e); // another session failed first; its cause is kept
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            barrier.reset();
        } finally {
            if (running.decrementAndGet() == 0) {
                try {
                    scenarios.close();
                } catch (SQLException e) {
                    failure.compareAndSet(null, e);
                }
            }
        }
    }

    /** Barrier action: runs in the last session to arrive, while the others wait. */
    private void betweenRounds(AdversarialScenarios scenarios, List<AdversarialSession> sessions) {
        int round = tally.rounds.get();
        try {
            if (settings.raceEvery() > 0 && round % settings.raceEvery() == 0) {
                scenarios.concurrentInsertDelete(round);
                tally.races.incrementAndGet();
            }
            if (settings.truncateEvery() > 0 && round % settings.truncateEvery() == settings.truncateEvery() - 1) {
                boolean two = (round / settings.truncateEvery()) % 2 == 1;
                if (two) {
                    scenarios.truncateTwo();
                } else {
                    scenarios.truncateOne(round);
                }
                sessions.forEach(s -> s.truncated(two));
                tally.truncates.incrementAndGet();
            }
        } catch (Exception e) {
            IllegalStateException failed = new IllegalStateException(
                    "adversarial step after round " + round + " failed: " + e.getMessage(), e);
            failure.compareAndSet(null, failed); // before the barrier breaks and the others report that
            throw failed;
        }
        tally.rounds.incrementAndGet();
        if (progress != null) {
            progress.println("[adversarial] round " + (round + 1) + "/" + settings.rounds() + ": " + tally);
        }
        if (!settings.roundPause().isZero()) {
            LockSupport.parkNanos(settings.roundPause().toNanos()); // pacing, not a wait
        }
    }

    private boolean isBigRound(int round) {
        int n = settings.bigValues();
        return n > 0
                && round % Math.max(1, settings.rounds() / n) == 1
                && round / Math.max(1, settings.rounds() / n) < n;
    }

    /** Waits for every session to finish. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = end - System.nanoTime();
            t.join(Math.max(1, left / 1_000_000));
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    public void throwIfFailed() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("adversarial workload failed: " + t.getMessage(), t);
        }
    }

    /** Waits up to two minutes for the sessions (the workload is bounded) and throws if one failed. */
    @Override
    public void close() throws InterruptedException {
        if (!awaitTermination(Duration.ofMinutes(2))) {
            throw new IllegalStateException("adversarial workload still running after two minutes");
        }
        throwIfFailed();
    }

    /** Defaults: 3 sessions, 12 rounds of 6 transactions, 15% odd values, two 10 MB values. */
    public static final class Builder {
        private final ConnectionFactory connections;
        private long seed = 9;
        private int sessions = 3;
        private int rounds = 12;
        private int transactionsPerRound = 6;
        private int oddValuePercent = 15;
        private int bigValues = 2;
        private int bigValueBytes = 10 * 1024 * 1024;
        private int truncateEvery = 4;
        private int raceEvery = 2;
        private PrintStream progress = System.out;
        private Duration roundPause = Duration.ZERO;

        Builder(ConnectionFactory connections) {
            this.connections = connections;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder sessions(int sessions) {
            this.sessions = atLeast("sessions", sessions, 2);
            return this;
        }

        public Builder rounds(int rounds) {
            this.rounds = atLeast("rounds", rounds, 1);
            return this;
        }

        public Builder transactionsPerRound(int n) {
            this.transactionsPerRound = atLeast("transactionsPerRound", n, 1);
            return this;
        }

        /** Share (0–100) of item values that are odd (NaN, infinities, BC dates, 24:00:00). */
        public Builder oddValuePercent(int percent) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("oddValuePercent must be 0..100, was " + percent);
            }
            this.oddValuePercent = percent;
            return this;
        }

        /** How many docs get a big body, and its size in characters (default 10 MiB). */
        public Builder bigValues(int count, int bytes) {
            this.bigValues = atLeast("bigValues", count, 0);
            this.bigValueBytes = atLeast("bigValueBytes", bytes, AdversarialValues.SMALL_BODY);
            return this;
        }

        /** TRUNCATE after every n-th round (alternating one table and two); 0 for never. */
        public Builder truncateEvery(int rounds) {
            this.truncateEvery = atLeast("truncateEvery", rounds, 0);
            return this;
        }

        /** The concurrent insert/delete case after every n-th round; 0 for never. */
        public Builder raceEvery(int rounds) {
            this.raceEvery = atLeast("raceEvery", rounds, 0);
            return this;
        }

        /** A pause between rounds, so a test can act (fail a TaskManager) while the workload is under way. */
        public Builder roundPause(Duration pause) {
            if (pause.isNegative()) {
                throw new IllegalArgumentException("roundPause must not be negative, was " + pause);
            }
            this.roundPause = pause;
            return this;
        }

        /** Where to print a line per round; null for silence. */
        public Builder progress(PrintStream out) {
            this.progress = out;
            return this;
        }

        public AdversarialWorkload build() {
            return new AdversarialWorkload(this);
        }

        private static int atLeast(String what, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(what + " must be >= " + min + ", was " + v);
            }
            return v;
        }
    }
}
