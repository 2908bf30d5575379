package io.tributary.harness.demo;

import io.tributary.event.Op;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes inserts, updates and deletes to the demo tables at a set rate, the way a legacy
 * application would, on its own thread and connection. The traffic includes the cases a CDC
 * pipeline gets wrong: updates that leave the TOASTed {@code products.description} unchanged,
 * many updates to a few hot keys, and deletes followed by re-inserts of the same key. Optionally
 * (off by default, see {@link TrafficConfig.Builder}) also what a legacy database sends besides:
 * odd values (NaN, infinities, BC dates), changes rolled back to a savepoint inside committed
 * transactions, and a periodic {@code TRUNCATE} of the small products table (counted as one
 * change of products with op TRUNCATE).
 *
 * <p>With the same seed and the same starting tables it writes the same changes. It counts only
 * committed changes ({@link #counts()}); on any SQL error it rolls back and stops, and
 * {@link #failure()} says why. A commit that fails because the connection broke is ambiguous
 * (it may have committed); the generator then stops rather than guess.
 */
public final class TrafficGenerator implements AutoCloseable {
    /** Opens the connection the generator writes on; it is closed when the generator stops. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private final TrafficConfig config;
    private final TrafficCounts counts = new TrafficCounts();
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile Thread thread;

    TrafficGenerator(TrafficConfig config) {
        this.config = config;
    }

    public static TrafficConfig.Builder builder(ConnectionFactory connections) {
        return new TrafficConfig.Builder(connections);
    }

    /** Starts writing on a new daemon thread. */
    public synchronized TrafficGenerator start() {
        if (thread != null) {
            throw new IllegalStateException("traffic generator already started");
        }
        thread = new Thread(this::runCatching, "traffic-generator");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Writes on the calling thread until {@code maxChanges} are committed or {@link #stop()} is
     * called from another thread; throws if a change failed.
     */
    public TrafficCounts runBlocking() {
        synchronized (this) {
            if (thread != null) {
                throw new IllegalStateException("traffic generator already started");
            }
            thread = Thread.currentThread();
        }
        try {
            runCatching();
        } finally {
            synchronized (this) {
                thread = null; // close() must not wait for the caller's own thread
            }
        }
        throwIfFailed();
        return counts;
    }

    /** Asks the generator to stop after its current transaction; returns at once. */
    public void stop() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Waits for the generator to finish (maxChanges reached, stopped, or failed). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Committed changes so far; safe to read while running. */
    public TrafficCounts counts() {
        return counts;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops, waits up to a minute, and throws if the generator failed. */
    @Override
    public void close() throws InterruptedException {
        stop();
        if (!awaitTermination(Duration.ofMinutes(1))) {
            throw new IllegalStateException("traffic generator did not stop within a minute");
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new IllegalStateException("traffic generator failed: " + failure.getMessage(), failure);
        }
    }

    private void runCatching() {
        try (Connection conn = config.connections().open()) {
            conn.setAutoCommit(false);
            run(conn);
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void run(Connection conn) throws SQLException {
        Map<DemoTable, DemoKeySet> keySets = new EnumMap<>(DemoTable.class);
        Map<DemoTable, TrafficStatements> statements = new EnumMap<>(DemoTable.class);
        for (DemoTable t : config.tables()) {
            keySets.put(t, new DemoKeySet(t, DemoSchema.keys(conn, t)));
            statements.put(t, new TrafficStatements(conn, t, config.oddValuePercent()));
        }
        conn.commit();
        List<DemoTable> tables = new ArrayList<>(config.tables());
        SplittableRandom random = new SplittableRandom(config.seed());
        long done = 0;
        long startNanos = System.nanoTime();
        try {
            while (!stopping && done < config.maxChanges()) {
                startNanos = waitUntilDue(startNanos, done);
                if (stopping) {
                    break;
                }
                int n = (int) Math.min(config.rowsPerTransaction(), config.maxChanges() - done);
                long[] pending = TrafficCounts.newPending();
                boolean truncate = config.truncateEvery() > 0
                        && tables.contains(DemoTable.PRODUCTS)
                        && (counts.transactions() + 1) % config.truncateEvery() == 0;
                boolean savepoint =
                        !truncate && config.savepointPercent() > 0 && random.nextInt(100) < config.savepointPercent();
                try {
                    if (truncate) {
                        n = 1;
                        truncateProducts(conn, keySets.get(DemoTable.PRODUCTS));
                        pending[TrafficCounts.slot(DemoTable.PRODUCTS, Op.TRUNCATE)]++;
                    }
                    for (int i = truncate ? n : 0; i < n; i++) {
                        DemoTable table = tables.get(random.nextInt(tables.size()));
                        Op op = writeOne(statements.get(table), keySets.get(table), random);
                        pending[TrafficCounts.slot(table, op)]++;
                    }
                    if (savepoint) {
                        DemoTable table = tables.get(random.nextInt(tables.size()));
                        rolledBackToSavepoint(conn, statements.get(table), keySets.get(table), random);
                    }
                    conn.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(conn, e);
                    throw e;
                }
                counts.add(pending);
                if (savepoint) {
                    counts.savepointRolledBack();
                }
                done += n;
            }
        } finally {
            for (TrafficStatements s : statements.values()) {
                s.close();
            }
        }
    }

    private Op writeOne(TrafficStatements sql, DemoKeySet keys, SplittableRandom r) throws SQLException {
        Op op = config.pickOp(r);
        if (keys.size() == 0) {
            op = Op.INSERT;
        }
        switch (op) {
            case INSERT:
                long key = keys.keyToInsert(r, 4);
                sql.insert(key, r);
                keys.add(key);
                break;
            case UPDATE:
                // A quarter of updates go to the first 8 live keys: hot rows, updated again and again.
                sql.update(keys.pick(r, r.nextInt(4) == 0 ? 8 : 0), r);
                break;
            default:
                long victim = keys.pick(r, 0);
                sql.delete(victim);
                keys.remove(victim);
        }
        return op;
    }

    /**
     * {@code TRUNCATE products} (the small table), as a nightly batch job would. The key set learns
     * of it only once the caller commits; a failed commit stops the generator anyway.
     */
    private static void truncateProducts(Connection conn, DemoKeySet keys) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("TRUNCATE public." + DemoTable.PRODUCTS.tableName());
        }
        keys.truncated();
    }

    /**
     * One more change inside the transaction, undone by ROLLBACK TO SAVEPOINT: an update of a live
     * key or an insert of a fresh one, so the key set needs no undo. It is in the WAL but never
     * committed, so no destination may show it.
     */
    private static void rolledBackToSavepoint(
            Connection conn, TrafficStatements sql, DemoKeySet keys, SplittableRandom r) throws SQLException {
        Savepoint sp = conn.setSavepoint("traffic_sp");
        if (keys.size() > 0 && r.nextBoolean()) {
            sql.update(keys.pick(r, 0), r);
        } else {
            sql.insert(keys.freshKey(r), r);
        }
        conn.rollback(sp);
    }

    /** Parks (no busy wait) until change number {@code done} is due; returns the adjusted start. */
    private long waitUntilDue(long startNanos, long done) {
        if (config.changesPerSecond() <= 0) {
            return startNanos;
        }
        long due = startNanos + (long) (done * 1e9 / config.changesPerSecond());
        long now = System.nanoTime();
        long maxLag = TimeUnit.SECONDS.toNanos(1);
        if (now - due > maxLag) {
            // Fell behind (slow database): catch up at most one second's worth in a burst.
            startNanos += now - due - maxLag;
            return startNanos;
        }
        while (!stopping && now < due) {
            LockSupport.parkNanos(this, due - now);
            if (Thread.interrupted()) {
                stopping = true;
            }
            now = System.nanoTime();
        }
        return startNanos;
    }

    private static void rollbackQuietly(Connection conn, Exception cause) {
        try {
            conn.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
