package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.PostgresStandIn;

import org.junit.jupiter.api.Test;

import java.util.List;

class PostgresSlotLagITCase {
    @Test
    void lagGrowsWithUnconsumedWalAndIsMinusOneWithoutTheSlot() throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("slot_lag");
            PostgresSourceSettings settings = PostgresSourceSettings.builder()
                    .hostname(pg.host()).port(pg.port()).database(db)
                    .username(PostgresStandIn.USER).password(PostgresStandIn.PASSWORD)
                    .slotName("lag_probe").publicationName("lag_probe")
                    .tableInclude(List.of("public\\.t")).build();
            PostgresSlotLag lag = new PostgresSlotLag(settings);
            assertThat(lag.read()).isEqualTo(-1);

            pg.executeIn(db, "SELECT pg_create_logical_replication_slot('lag_probe', 'pgoutput')");
            long before = lag.read();
            pg.executeIn(db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 10000) g");
            assertThat(lag.read()).isGreaterThan(before).isGreaterThan(1_000_000);
        }
    }
}
