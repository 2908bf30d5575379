package io.tributary.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.adversarial.TestDecodingSlot;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.standin.PostgresStandIn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * The benchmark's Debezium peer (module bench-peer, its own JVM) drains a small backlog and reports
 * exactly the changes PostgreSQL's own test_decoding slot, created at the same point, decodes.
 */
class DebeziumPeerITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void peerCountsEveryChangeTheOracleDecodesBeforeTheEndLsn() throws Exception {
        String db = PG.get().createDatabase("peer_smoke");
        try (Connection c = PG.get().connect(db);
                Statement s = c.createStatement()) {
            DemoSchema.create(c);
            s.execute("CREATE PUBLICATION peer_pub FOR TABLE public.orders");
            s.execute("SELECT pg_create_logical_replication_slot('peer_slot', 'pgoutput')");
            TestDecodingSlot oracle = TestDecodingSlot.create(c, "peer_oracle");
            CeilingChanges.write(c, 1_000, 1);
            s.execute("TRUNCATE public.orders");
            String endLsn = single(s, "SELECT pg_current_wal_insert_lsn()::text");
            long expected = oracle.drain(c).stream()
                    .filter(d -> d.table().equals(new TableId("public", "orders")))
                    .count();
            oracle.drop(c);
            // The peer stops at the first change at or past endLsn, and does not count it.
            s.execute("INSERT INTO public.orders (id, customer_id, status, total, placed_at)"
                    + " VALUES (-1, 0, 'end', 0, now())");

            DebeziumPeer.Run run = DebeziumPeer.drain(
                    PG.get(), db, "peer_slot", "peer_pub", "public.orders", endLsn, Duration.ofMinutes(3));

            assertThat(expected).isGreaterThan(1_000); // the workload's changes and the TRUNCATE
            assertThat(run.changes()).isEqualTo(expected);
            assertThat(run.debeziumVersion()).startsWith("3.");
            assertThat(run.cpu()).isPositive();
            assertThat(run.firstToLast()).isPositive();
            s.execute("SELECT pg_drop_replication_slot('peer_slot')");
        }
    }

    private static String single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
