package io.tributary.harness.standin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;

class PostgresStandInITCase {
    @Test
    void startsWithLogicalWal() throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                Connection c = pg.connect();
                ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("logical");
        }
    }
}
