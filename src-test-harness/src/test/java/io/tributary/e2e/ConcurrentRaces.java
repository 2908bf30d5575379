package io.tributary.e2e;

import io.tributary.harness.Deadline;
import io.tributary.harness.standin.PostgresStandIn;

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
 * Two real database sessions, A and B, racing on the same keys of {@code race(k int primary key, v
 * int)}. In the races that matter B writes its heap tuple for key K, then waits on the unique index
 * for A; A changes K again and commits first. B's change then has a lower LSN than A's last change
 * of K, but comes later in the stream (commit order), which is the order the row went through.
 */
final class ConcurrentRaces implements AutoCloseable {
    static final int VARIANTS = 8;
    /** Key moves (UPDATE of the primary key) go to k + MOVED. */
    static final int MOVED = 1000;

    private final Connection a;
    private final Connection b;
    private final Connection admin;
    private final int bPid;
    private final ExecutorService bThread = Executors.newSingleThreadExecutor();

    ConcurrentRaces(PostgresStandIn pg, String db) throws SQLException {
        a = pg.connect(db);
        b = pg.connect(db);
        admin = pg.connect(db);
        a.setAutoCommit(false);
        b.setAutoCommit(false);
        try (Statement s = b.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            bPid = rs.getInt(1);
        }
        b.commit();
    }

    /** Runs race {@code variant} (0 … VARIANTS-1) on keys from {@code k}. */
    void run(int variant, int k) throws Exception {
        switch (variant) {
            case 0: // A inserts K, B inserts K and waits, A deletes K and commits, B commits
                absent(k);
                sql(a, "INSERT INTO race VALUES (" + k + ", 1)");
                Future<?> b0 = blocked("INSERT INTO race VALUES (" + k + ", 2)");
                sql(a, "DELETE FROM race WHERE k = " + k);
                a.commit();
                finish(b0);
                break;
            case 1: // as 0, A updates then deletes, and B updates its row after the wait
                absent(k);
                sql(a, "INSERT INTO race VALUES (" + k + ", 1)");
                Future<?> b1 = blocked("INSERT INTO race VALUES (" + k + ", 2)");
                sql(a, "UPDATE race SET v = 3 WHERE k = " + k);
                sql(a, "DELETE FROM race WHERE k = " + k);
                a.commit();
                b1.get(30, TimeUnit.SECONDS);
                sql(b, "UPDATE race SET v = 4 WHERE k = " + k);
                b.commit();
                break;
            case 2: // A inserts K and moves it to K + MOVED while B waits to insert K
                absent(k, k + MOVED);
                sql(a, "INSERT INTO race VALUES (" + k + ", 1)");
                Future<?> b2 = blocked("INSERT INTO race VALUES (" + k + ", 2)");
                sql(a, "UPDATE race SET k = " + (k + MOVED) + " WHERE k = " + k);
                a.commit();
                finish(b2);
                break;
            case 3: // A deletes K, B re-inserts K and waits
                present(k);
                sql(a, "DELETE FROM race WHERE k = " + k);
                Future<?> b3 = blocked("INSERT INTO race VALUES (" + k + ", 5)");
                a.commit();
                finish(b3);
                break;
            case 4: // A inserts K and rolls back while B waits to insert K
                absent(k);
                sql(a, "INSERT INTO race VALUES (" + k + ", 1)");
                Future<?> b4 = blocked("INSERT INTO race VALUES (" + k + ", 2)");
                a.rollback();
                finish(b4);
                break;
            case 5: // both update K; B waits on the row lock before writing anything
                present(k);
                sql(a, "UPDATE race SET v = v + 1 WHERE k = " + k);
                Future<?> b5 = blocked("UPDATE race SET v = v + 10 WHERE k = " + k);
                a.commit();
                finish(b5);
                break;
            case 6: // several keys: B inserts them in reverse order and waits on the first
                absent(k, k + 1, k + 2);
                sql(a, "INSERT INTO race VALUES (" + k + ", 1), (" + (k + 1) + ", 1), (" + (k + 2) + ", 1)");
                Future<?> b6 =
                        blocked("INSERT INTO race VALUES (" + (k + 2) + ", 2), (" + (k + 1) + ", 2), (" + k + ", 2)");
                sql(a, "DELETE FROM race WHERE k IN (" + k + ", " + (k + 1) + ", " + (k + 2) + ")");
                a.commit();
                finish(b6);
                break;
            case 7: // B changes another key first, then waits on K; A updates and deletes K
                absent(k, k + 5);
                sql(a, "INSERT INTO race VALUES (" + k + ", 1)");
                sql(b, "INSERT INTO race VALUES (" + (k + 5) + ", 2)");
                Future<?> b7 = blocked("INSERT INTO race VALUES (" + k + ", 2)");
                sql(a, "UPDATE race SET v = 7 WHERE k = " + k);
                sql(a, "DELETE FROM race WHERE k = " + k);
                a.commit();
                b7.get(30, TimeUnit.SECONDS);
                sql(b, "DELETE FROM race WHERE k = " + (k + 5));
                b.commit();
                break;
            default:
                throw new IllegalArgumentException("no race " + variant);
        }
    }

    /** Starts {@code sql} in session B and returns once B waits for a lock (fails if it does not). */
    private Future<?> blocked(String sql) throws Exception {
        Future<?> f = bThread.submit(() -> {
            sql(b, sql);
            return null;
        });
        Deadline.of(Duration.ofSeconds(30)).await("session B to wait for a lock in: " + sql, () -> {
            if (f.isDone()) {
                f.get();
                throw new IllegalStateException("session B did not wait for session A in: " + sql);
            }
            return waitsForLock();
        });
        return f;
    }

    private void finish(Future<?> bStatement) throws Exception {
        bStatement.get(30, TimeUnit.SECONDS);
        b.commit();
    }

    private boolean waitsForLock() throws SQLException {
        try (PreparedStatement s =
                admin.prepareStatement("SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?")) {
            s.setInt(1, bPid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && "Lock".equals(rs.getString(1));
            }
        }
    }

    private void absent(int... keys) throws SQLException {
        for (int k : keys) {
            sql(admin, "DELETE FROM race WHERE k = " + k);
        }
    }

    private void present(int k) throws SQLException {
        sql(admin, "INSERT INTO race VALUES (" + k + ", 0) ON CONFLICT (k) DO NOTHING");
    }

    private static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        bThread.shutdownNow();
        a.close();
        b.close();
        admin.close();
    }
}
