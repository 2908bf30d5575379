package io.tributary.harness.bench;

import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.standin.PostgresStandIn;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Upper bounds for the pipeline on this machine, measured without Flink: how fast PostgreSQL
 * hands out pgoutput changes from a slot, and how fast COPY reads a table (the snapshot's
 * ceiling). Benchmarks, not tests; each call uses its own database and drops it afterwards.
 */
public final class Ceilings {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(5);

    private Ceilings() {}

    /**
     * Writes {@code changes} changes (40% I / 40% U / 20% D) to {@code orders} in transactions of
     * {@code rowsPerTransaction}, then drains the slot with pgjdbc's replication API (pgoutput,
     * proto_version 1) counting I/U/D messages; and, if {@code pg_recvlogical} is installed, drains
     * a second slot filled by the same WAL with it; and, if module bench-peer is built, drains a third
     * such slot with a Debezium embedded engine in its own JVM ({@link DebeziumPeer}).
     *
     * @return the write figure, the pgjdbc figure, then the pg_recvlogical and peer figures when available
     */
    public static List<CeilingFigure> slotDrainRate(PostgresStandIn pg, long changes, int rowsPerTransaction)
            throws SQLException, IOException, InterruptedException {
        String db = pg.createDatabase("ceiling_drain_" + RUNS.incrementAndGet());
        Optional<String> recvlogical = PgRecvLogical.find();
        List<CeilingFigure> figures = new ArrayList<>();
        try (Connection c = pg.connect(db)) {
            DemoSchema.create(c);
            execute(
                    c,
                    "CREATE PUBLICATION ceiling_pub FOR TABLE public.orders",
                    "SELECT pg_create_logical_replication_slot('ceiling_jdbc', 'pgoutput')");
            if (recvlogical.isPresent()) {
                execute(c, "SELECT pg_create_logical_replication_slot('ceiling_recv', 'pgoutput')");
            }
            boolean peer = DebeziumPeer.available();
            if (peer) {
                execute(c, "SELECT pg_create_logical_replication_slot('ceiling_peer', 'pgoutput')");
            } else {
                System.out.println("  (no Debezium peer: " + DebeziumPeer.missing() + ")");
            }
            long writeStart = System.nanoTime();
            CeilingChanges.write(c, changes, rowsPerTransaction);
            Duration writeTime = Duration.ofNanos(System.nanoTime() - writeStart);
            String endLsn = single(c, "SELECT pg_current_wal_insert_lsn()::text");
            // WAL after endLsn, so a walsender that has caught up reports a position past it.
            execute(
                    c,
                    "INSERT INTO public.customers (id, full_name, created_at, is_active, external_ref)"
                            + " VALUES (1, 'x', now(), true, gen_random_uuid())");
            if (peer) {
                // The Debezium peer stops at the first change of orders at or past endLsn: this one.
                execute(
                        c,
                        "INSERT INTO public.orders (id, customer_id, status, total, placed_at)"
                                + " VALUES (-1, 0, 'end', 0, now())");
            }
            String conditions = "pgoutput proto_version 1, " + rowsPerTransaction + " rows/txn, one table";
            figures.add(new CeilingFigure(
                    "write (server-side PL/pgSQL, " + rowsPerTransaction + " rows/txn)",
                    changes,
                    "changes",
                    writeTime,
                    "synchronous_commit=on, fsync=off"));
            figures.add(new CeilingFigure(
                    "slot drain, pgjdbc (" + rowsPerTransaction + " rows/txn)",
                    changes,
                    "changes",
                    drainWithJdbc(pg, db, changes),
                    conditions));
            if (recvlogical.isPresent()) {
                Duration d = PgRecvLogical.drain(
                        recvlogical.get(), pg, db, "ceiling_recv", "ceiling_pub", endLsn, DRAIN_DEADLINE);
                figures.add(new CeilingFigure(
                        "slot drain, pg_recvlogical (" + rowsPerTransaction + " rows/txn)",
                        changes,
                        "changes",
                        d,
                        conditions + ", to /dev/null"));
            }
            if (peer) {
                DebeziumPeer.Run run = DebeziumPeer.drain(
                        pg, db, "ceiling_peer", "ceiling_pub", "public.orders", endLsn, DRAIN_DEADLINE);
                figures.add(DebeziumPeer.figure(run, changes, rowsPerTransaction, figures));
            }
        } finally {
            dropDatabase(pg, db);
        }
        return figures;
    }

    /** Loads {@code rows} rows into {@code orders} with COPY FROM, then times COPY TO binary. */
    public static List<CeilingFigure> copyRate(PostgresStandIn pg, long rows) throws SQLException, IOException {
        String db = pg.createDatabase("ceiling_copy_" + RUNS.incrementAndGet());
        try (Connection c = pg.connect(db)) {
            DemoSchema.create(c);
            long loadStart = System.nanoTime();
            DemoSchema.seedTable(c, DemoTable.ORDERS, rows, DemoSchema.DEFAULT_SEED);
            Duration load = Duration.ofNanos(System.nanoTime() - loadStart);
            execute(c, "VACUUM public.orders");
            CountingSink sink = new CountingSink();
            long start = System.nanoTime();
            long copied = c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyOut("COPY public.orders TO STDOUT (FORMAT binary)", sink);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return List.of(
                    new CeilingFigure(
                            "COPY FROM csv (seed, incl. generation)",
                            rows,
                            "rows",
                            load,
                            "demo orders, 12 columns, one connection"),
                    new CeilingFigure(
                            "COPY TO STDOUT binary",
                            copied,
                            "rows",
                            elapsed,
                            String.format("demo orders, %.1f MB, one connection", sink.bytes / 1e6)));
        } finally {
            dropDatabase(pg, db);
        }
    }

    private static Duration drainWithJdbc(PostgresStandIn pg, String db, long changes) throws SQLException {
        Properties props = new Properties();
        PGProperty.USER.set(props, PostgresStandIn.USER);
        PGProperty.PASSWORD.set(props, PostgresStandIn.PASSWORD);
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "9.4");
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        try (Connection rc = DriverManager.getConnection(pg.jdbcUrl(db), props)) {
            long start = System.nanoTime();
            long deadline = start + DRAIN_DEADLINE.toNanos();
            long seen = 0;
            try (PGReplicationStream stream = rc.unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName("ceiling_jdbc")
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", "ceiling_pub")
                    .start()) {
                while (seen < changes) {
                    ByteBuffer msg = stream.readPending();
                    if (msg == null) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("slot drain saw " + seen + " of " + changes
                                    + " changes within " + DRAIN_DEADLINE + "; use a smaller N");
                        }
                        LockSupport.parkNanos(200_000);
                        continue;
                    }
                    byte type = msg.get(msg.position());
                    if (type == 'I' || type == 'U' || type == 'D') {
                        seen++;
                    }
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                stream.setFlushedLSN(stream.getLastReceiveLSN());
                stream.setAppliedLSN(stream.getLastReceiveLSN());
                stream.forceUpdateStatus();
                return elapsed;
            }
        }
    }

    private static void dropDatabase(PostgresStandIn pg, String db) {
        // Slots pin WAL and block DROP DATABASE; drop them first (inactive once their readers closed).
        pg.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots" + " WHERE database = '" + db
                        + "' AND NOT active",
                "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }

    private static void execute(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Counts bytes and drops them: the ceiling is the server plus the wire, not a consumer. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
