package io.tributary.harness.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.Op;
import io.tributary.harness.Deadline;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresStandIn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

class TrafficGeneratorITCase {
    private static final long ROWS = 2_000;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void fixedNumberOfChangesLeavesExactlyTheCountedRows() throws Exception {
        String db = seededDatabase();
        // 7 rows per transaction: 500 is not a multiple, so the last transaction is cut short.
        TrafficCounts counts = TrafficGenerator.builder(() -> PG.get().connect(db))
                .asFastAsPossible()
                .rowsPerTransaction(7)
                .maxChanges(500)
                .seed(7)
                .build()
                .runBlocking();

        assertThat(counts.total()).isEqualTo(500);
        assertThat(counts.transactions()).isEqualTo(72);
        assertTablesMatch(db, counts);
        for (DemoTable t : DemoTable.values()) {
            assertThat(counts.inserts(t)).as("inserts into %s", t).isPositive();
            assertThat(counts.updates(t)).as("updates of %s", t).isPositive();
            assertThat(counts.deletes(t)).as("deletes from %s", t).isPositive();
        }
        double insertShare = (double) sum(counts, Op.INSERT) / counts.total();
        assertThat(insertShare).isBetween(0.30, 0.50);
    }

    @Test
    void rateLimitedBackgroundRunStopsWhenAskedAndCountsOnlyCommits() throws Exception {
        String db = seededDatabase();
        try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                .changesPerSecond(400)
                .rowsPerTransaction(3)
                .seed(11)
                .build()
                .start()) {
            awaitUntil(() -> gen.counts().total() >= 60, Duration.ofSeconds(30));
            gen.stop();
            assertThat(gen.awaitTermination(Duration.ofSeconds(30))).isTrue();
            assertThat(gen.failure()).isEmpty();
            assertThat(gen.counts().total() % 3).isZero();
            assertTablesMatch(db, gen.counts());
        }
    }

    @Test
    void sameSeedWritesTheSameChanges() throws Exception {
        String first = seededDatabase();
        String second = seededDatabase();
        for (String db : new String[] {first, second}) {
            TrafficGenerator.builder(() -> PG.get().connect(db))
                    .asFastAsPossible()
                    .rowsPerTransaction(10)
                    .maxChanges(300)
                    .seed(99)
                    .build()
                    .runBlocking();
        }
        try (Connection a = PG.get().connect(first);
                Connection b = PG.get().connect(second)) {
            for (DemoTable t : DemoTable.values()) {
                assertThat(DemoSchema.currentRows(b, t)).as(t.tableName()).isEqualTo(DemoSchema.currentRows(a, t));
            }
        }
    }

    @Test
    void oddValuesSavepointRollbacksAndTruncatesKeepTheCountsTrue() throws Exception {
        String db = seededDatabase();
        TrafficCounts counts = TrafficGenerator.builder(() -> PG.get().connect(db))
                .asFastAsPossible()
                .rowsPerTransaction(3)
                .maxChanges(600)
                .seed(21)
                .oddValues(20)
                .savepointRollbacks(30)
                .truncateProductsEvery(25)
                .build()
                .runBlocking();

        assertThat(counts.total()).isEqualTo(600);
        assertThat(counts.truncates(DemoTable.PRODUCTS))
                .as("TRUNCATEs of products")
                .isEqualTo(counts.transactions() / 25);
        assertThat(counts.truncates(DemoTable.ORDERS)).isZero();
        assertThat(counts.savepointRollbacks()).isPositive();
        assertTablesMatch(db, counts);
        try (Connection c = PG.get().connect(db);
                Statement s = c.createStatement()) {
            for (String odd : List.of(
                    "SELECT count(*) FROM orders WHERE exchange_rate IN ('NaN', 'Infinity', '-Infinity')",
                    "SELECT count(*) FROM orders WHERE total = 'NaN'",
                    "SELECT count(*) FROM order_lines WHERE tax_rate IN ('NaN', 'Infinity', '-Infinity')",
                    "SELECT count(*) FROM customers WHERE created_at IN ('infinity', '-infinity')",
                    "SELECT count(*) FROM orders WHERE ship_by IN ('infinity', '-infinity') OR ship_by < '0001-01-01'")) {
                try (ResultSet rs = s.executeQuery(odd)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(odd).isPositive();
                }
            }
        }
    }

    @Test
    void sameSeedWritesTheSameOddValuesAndTruncates() throws Exception {
        String first = seededDatabase();
        String second = seededDatabase();
        for (String db : new String[] {first, second}) {
            TrafficGenerator.builder(() -> PG.get().connect(db))
                    .asFastAsPossible()
                    .rowsPerTransaction(4)
                    .maxChanges(300)
                    .seed(5)
                    .oddValues(10)
                    .savepointRollbacks(20)
                    .truncateProductsEvery(30)
                    .build()
                    .runBlocking();
        }
        try (Connection a = PG.get().connect(first);
                Connection b = PG.get().connect(second)) {
            for (DemoTable t : DemoTable.values()) {
                assertThat(DemoSchema.currentRows(b, t)).as(t.tableName()).isEqualTo(DemoSchema.currentRows(a, t));
            }
        }
    }

    @Test
    void aFailedTransactionStopsTheGeneratorAndIsNotCounted() throws Exception {
        String db = seededDatabase();
        // The 31st update of orders fails, in the middle of some 5-row transaction.
        PG.get()
                .executeIn(
                        db,
                        "CREATE SEQUENCE order_updates",
                        "CREATE FUNCTION refuse_late_updates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                                + " IF nextval('order_updates') > 30 THEN RAISE EXCEPTION 'orders update refused'; END IF;"
                                + " RETURN NEW; END $$",
                        "CREATE TRIGGER refuse BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION refuse_late_updates()");
        TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                .asFastAsPossible()
                .rowsPerTransaction(5)
                .maxChanges(10_000)
                .tables(DemoTable.ORDERS)
                .build();

        assertThatThrownBy(gen::runBlocking).hasMessageContaining("orders update refused");
        assertThat(gen.failure()).isPresent();
        assertThat(gen.counts().total()).isPositive().isLessThan(10_000);
        assertThat(gen.counts().total() % 5).isZero();
        assertThat(gen.counts().updates(DemoTable.ORDERS)).isLessThanOrEqualTo(30);
        assertTablesMatch(db, gen.counts());
    }

    private static String seededDatabase() throws SQLException {
        String db = PG.get().createDatabase("traffic_" + DATABASES.incrementAndGet());
        try (Connection c = PG.get().connect(db)) {
            DemoSchema.create(c);
            DemoSchema.seed(c, ROWS);
        }
        return db;
    }

    private static void assertTablesMatch(String db, TrafficCounts counts) throws SQLException {
        Map<DemoTable, Long> seeded = DemoSchema.seedPlan(ROWS);
        try (Connection c = PG.get().connect(db)) {
            for (DemoTable t : DemoTable.values()) {
                assertThat(DemoSchema.rowCount(c, t))
                        .as("rows in %s", t.tableName())
                        .isEqualTo(counts.expectedRows(t, seeded.get(t)));
            }
        }
    }

    private static long sum(TrafficCounts counts, Op op) {
        long n = 0;
        for (DemoTable t : DemoTable.values()) {
            n += counts.count(t, op);
        }
        return n;
    }

    private static void awaitUntil(BooleanSupplier condition, Duration timeout) throws Exception {
        Deadline.of(timeout).await("traffic generator condition", condition::getAsBoolean);
    }
}
