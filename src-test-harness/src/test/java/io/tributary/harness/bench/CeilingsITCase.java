package io.tributary.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.standin.PostgresStandIn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;

/** Keeps the benchmark code working at tiny N; the figures themselves are not asserted. */
class CeilingsITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void generatedChangesAreFortyFortyTwentyAndAllValid() throws Exception {
        String db = PG.get().createDatabase("ceiling_changes");
        try (Connection c = PG.get().connect(db)) {
            DemoSchema.create(c);
            CeilingChanges.write(c, 1_000, 7);
            // 200 blocks of five: two inserts, two updates, one delete -> 200 rows left, 400 updated.
            assertThat(DemoSchema.rowCount(c, DemoTable.ORDERS)).isEqualTo(200);
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM orders WHERE status = 'shipped' AND ship_by IS NULL")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(200);
            }
        }
    }

    @Test
    void slotDrainCountsEveryChangeAndCleansUp() throws Exception {
        List<CeilingFigure> figures = Ceilings.slotDrainRate(PG.get(), 1_000, 100);
        assertThat(figures).hasSizeBetween(2, 4).allMatch(f -> f.count() == 1_000 && f.perSecond() > 0);
        try (Connection c = PG.get().connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_replication_slots")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void copyRateReadsEveryRow() throws Exception {
        List<CeilingFigure> figures = Ceilings.copyRate(PG.get(), 2_000);
        assertThat(figures).extracting(CeilingFigure::count).containsExactly(2_000L, 2_000L);
    }
}
