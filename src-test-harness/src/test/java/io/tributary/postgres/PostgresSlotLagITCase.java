package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.standin.PostgresStandIn;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

class PostgresSlotLagITCase {
    @Test
    void lagGrowsWithUnconsumedWalAndIsMinusOneWithoutTheSlot() throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("slot_lag");
            PostgresSourceSettings settings = PostgresSourceSettings.builder()
                    .hostname(pg.host())
                    .port(pg.port())
                    .database(db)
                    .username(PostgresStandIn.USER)
                    .password(PostgresStandIn.PASSWORD)
                    .slotName("lag_probe")
                    .publicationName("lag_probe")
                    .tableInclude(List.of("public\\.t"))
                    .build();
            PostgresSlotLag lag = new PostgresSlotLag(settings);
            assertThat(lag.read()).isEqualTo(-1);

            pg.executeIn(db, "SELECT pg_create_logical_replication_slot('lag_probe', 'pgoutput')");
            long before = lag.read();
            pg.executeIn(
                    db,
                    "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 10000) g");
            assertThat(lag.read()).isGreaterThan(before).isGreaterThan(1_000_000);
        }
    }

    /** No replication connection: the read position is the slot's confirmed position, compared with PostgreSQL's own. */
    @Test
    void positionsOfAnInactiveSlotAreItsConfirmedPositionAndTheWalEnd() throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("slot_positions");
            PostgresSourceSettings settings = PostgresSourceSettings.builder()
                    .hostname(pg.host())
                    .port(pg.port())
                    .database(db)
                    .username(PostgresStandIn.USER)
                    .password(PostgresStandIn.PASSWORD)
                    .slotName("positions_probe")
                    .publicationName("positions_probe")
                    .tableInclude(List.of("public\\.t"))
                    .build();
            PostgresSlotLag lag = new PostgresSlotLag(settings, Duration.ofSeconds(1));
            assertThat(lag.readPositions()).isNull();

            pg.executeIn(
                    db,
                    "SELECT pg_create_logical_replication_slot('positions_probe', 'pgoutput')",
                    "CREATE TABLE t (id int PRIMARY KEY)",
                    "INSERT INTO t SELECT generate_series(1, 1000)");
            PostgresSlotPositions p = lag.readPositions();
            try (Connection c = pg.connect(db);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint,"
                            + " pg_wal_lsn_diff(pg_current_wal_flush_lsn(), '0/0')::bigint"
                            + " FROM pg_replication_slots WHERE slot_name = 'positions_probe'")) {
                rs.next();
                assertThat(p.streaming()).isFalse();
                assertThat(p.readLsn()).isEqualTo(rs.getLong(1));
                assertThat(p.walLsn()).isGreaterThan(p.readLsn()).isLessThanOrEqualTo(rs.getLong(2));
                assertThat(p.lagBytes()).isPositive();
            }
        }
    }
}
