package io.tributary.harness.pgbench;

import io.tributary.event.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pgbench's schema and its built-in TPC-B-like transaction, run over JDBC, so a test needs no pgbench binary
 * (the embedded server's binaries do not ship it). The DDL is what {@code pgbench -i} (PostgreSQL 15) runs,
 * with its primary keys; {@code pgbench_history} has none, as in pgbench.
 */
public final class PgbenchSchema {
    public static final TableId ACCOUNTS = new TableId("public", "pgbench_accounts");
    public static final TableId BRANCHES = new TableId("public", "pgbench_branches");
    public static final TableId HISTORY = new TableId("public", "pgbench_history");
    public static final TableId TELLERS = new TableId("public", "pgbench_tellers");
    public static final List<TableId> TABLES = List.of(ACCOUNTS, BRANCHES, HISTORY, TELLERS);
    public static final String INCLUDE = "public\\.pgbench_.*";

    private final int branches;
    private final int accountsPerBranch;

    /** pgbench's scale {@code branches}; pgbench itself uses 100000 accounts per branch. */
    public PgbenchSchema(int branches, int accountsPerBranch) {
        this.branches = branches;
        this.accountsPerBranch = accountsPerBranch;
    }

    /** {@code pgbench -i}: the four tables, their rows (server-side, as {@code -I dtGvp}) and primary keys. */
    public void init(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))");
            s.execute("CREATE TABLE pgbench_tellers (tid int not null, bid int, tbalance int, filler char(84))"
                    + " WITH (fillfactor=100)");
            s.execute("CREATE TABLE pgbench_accounts (aid int not null, bid int, abalance int, filler char(84))"
                    + " WITH (fillfactor=100)");
            s.execute("CREATE TABLE pgbench_branches (bid int not null, bbalance int, filler char(88))"
                    + " WITH (fillfactor=100)");
            s.execute("INSERT INTO pgbench_branches (bid, bbalance) SELECT bid, 0 FROM generate_series(1, " + branches
                    + ") AS bid");
            s.execute("INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT tid, (tid - 1) / 10 + 1, 0"
                    + " FROM generate_series(1, " + 10 * branches + ") AS tid");
            s.execute("INSERT INTO pgbench_accounts (aid, bid, abalance, filler) SELECT aid, (aid - 1) / "
                    + accountsPerBranch + " + 1, 0, '' FROM generate_series(1, " + accountsPerBranch * branches
                    + ") AS aid");
            s.execute("VACUUM ANALYZE pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history");
            s.execute("ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid)");
            s.execute("ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid)");
            s.execute("ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)");
        }
    }

    /**
     * Runs {@code transactions} TPC-B-like transactions (pgbench's built-in script) from {@code clients} JDBC
     * threads; returns how many committed. Each thread opens its own connection from {@code connections}.
     */
    public long run(ConnectionSource connections, int clients, int transactions, long seed) throws Exception {
        AtomicLong committed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            Future<?>[] futures = new Future<?>[clients];
            for (int i = 0; i < clients; i++) {
                int share = transactions / clients + (i < transactions % clients ? 1 : 0);
                SplittableRandom random = new SplittableRandom(seed + i);
                futures[i] = pool.submit(() -> {
                    try (Connection c = connections.open()) {
                        c.setAutoCommit(false);
                        for (int t = 0; t < share; t++) {
                            tpcb(c, random);
                            committed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return committed.get();
    }

    private void tpcb(Connection c, SplittableRandom random) throws SQLException {
        int aid = random.nextInt(1, accountsPerBranch * branches + 1);
        int bid = random.nextInt(1, branches + 1);
        int tid = random.nextInt(1, 10 * branches + 1);
        int delta = random.nextInt(-5000, 5001);
        update(c, "UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?", delta, aid);
        try (PreparedStatement ps = c.prepareStatement("SELECT abalance FROM pgbench_accounts WHERE aid = ?")) {
            ps.setInt(1, aid);
            ps.executeQuery().close();
        }
        update(c, "UPDATE pgbench_tellers SET tbalance = tbalance + ? WHERE tid = ?", delta, tid);
        update(c, "UPDATE pgbench_branches SET bbalance = bbalance + ? WHERE bid = ?", delta, bid);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            ps.setInt(1, tid);
            ps.setInt(2, bid);
            ps.setInt(3, aid);
            ps.setInt(4, delta);
            ps.executeUpdate();
        }
        c.commit();
    }

    private static void update(Connection c, String sql, int delta, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, delta);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    /** Opens a new connection to the database under test. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }
}
