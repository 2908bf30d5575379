package io.tributary.harness.adversarial;

import io.tributary.harness.Deadline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The steps that need the sessions to stand still, run between rounds on connections of their own:
 * the concurrent insert/delete case (a transaction that wrote a key earlier commits later, so its
 * change LSN is below the previous writer's) and TRUNCATE of one table and of two at once.
 * Rows they make use ids at or above {@link #OWN_IDS}, which no session touches.
 */
final class AdversarialScenarios implements AutoCloseable {
    static final int OWN_IDS = 800_000;

    private final Connection a;
    private final Connection b;
    private final Connection watcher;
    private final ExecutorService blocked = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "adversarial-blocked-session");
        t.setDaemon(true);
        return t;
    });

    AdversarialScenarios(AdversarialWorkload.ConnectionFactory connections) throws SQLException {
        this.a = connections.open();
        this.b = connections.open();
        this.watcher = connections.open();
        a.setAutoCommit(false);
        b.setAutoCommit(false);
    }

    /**
     * Session A {@code BEGIN; INSERT K}; session B {@code BEGIN; INSERT K} waits on the unique
     * index; A {@code DELETE K; COMMIT}; B proceeds and commits. The decoded order is A's insert,
     * A's delete, B's insert, while B's insert was written to the WAL before A's delete. Then the
     * previous round's K is updated, so the row keeps changing after the case.
     */
    void concurrentInsertDelete(int round) throws Exception {
        int k = OWN_IDS + 100_000 + round;
        insert(a, k, "session A");
        int bPid = pid(b);
        Future<?> bInsert = blocked.submit(() -> {
            insert(b, k, "session B");
            return null;
        });
        Deadline.of(Duration.ofSeconds(30))
                .await(
                        "session B (pid " + bPid + ") waiting on A's uncommitted key " + k,
                        () -> waitsOnLock(bPid) || bInsert.isDone());
        if (bInsert.isDone()) {
            bInsert.get();
            throw new IllegalStateException("session B inserted key " + k + " without waiting for session A");
        }
        try (PreparedStatement ps = a.prepareStatement("DELETE FROM adv_items WHERE id = ?")) {
            ps.setInt(1, k);
            expectOne(ps.executeUpdate(), "delete " + k);
        }
        a.commit();
        bInsert.get(30, TimeUnit.SECONDS);
        b.commit();
        try (PreparedStatement ps =
                a.prepareStatement("UPDATE adv_items SET v = v + 1, note = 'after the race' WHERE id = ?")) {
            ps.setInt(1, k - 1);
            ps.executeUpdate(); // the first round has no previous K
        }
        a.commit();
    }

    /** {@code TRUNCATE adv_tags} then an insert, in one transaction. */
    void truncateOne(int round) throws SQLException {
        try (Statement s = a.createStatement()) {
            s.execute("TRUNCATE adv_tags");
            s.execute("INSERT INTO adv_tags (id, label) VALUES (" + (OWN_IDS + round) + ", 'after truncate')");
        }
        a.commit();
    }

    /** {@code TRUNCATE adv_tags, adv_lines}: one statement, two tables. */
    void truncateTwo() throws SQLException {
        try (Statement s = a.createStatement()) {
            s.execute("TRUNCATE adv_tags, adv_lines");
        }
        a.commit();
    }

    private static void insert(Connection c, int k, String note) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO adv_items (id, n, nu, note, v) VALUES (?, 1.5, 2.5, ?, 0)")) {
            ps.setInt(1, k);
            ps.setString(2, note);
            expectOne(ps.executeUpdate(), "insert " + k);
        }
    }

    private boolean waitsOnLock(int pid) throws SQLException {
        try (PreparedStatement ps =
                watcher.prepareStatement("SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "Lock".equals(rs.getString(1));
            }
        }
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            int pid = rs.getInt(1);
            c.commit();
            return pid;
        }
    }

    private static void expectOne(int n, String what) {
        if (n != 1) {
            throw new IllegalStateException(what + " changed " + n + " rows, expected 1");
        }
    }

    @Override
    public void close() throws SQLException {
        blocked.shutdownNow();
        try {
            a.close();
            b.close();
        } finally {
            watcher.close();
        }
    }
}
