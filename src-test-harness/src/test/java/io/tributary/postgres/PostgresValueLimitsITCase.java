package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.TableId;
import io.tributary.event.ValueKind;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresStandIn;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The values Flink CDC 3.5, Debezium 1.9.8 and pgjdbc 42.7.4 cannot carry, against a real PostgreSQL 15: the
 * start-up checks that catch them before any publication or slot exists, what is carried instead, and proof of
 * the library behaviour the checks' messages describe (so a library upgrade that changes it fails here).
 */
class PostgresValueLimitsITCase {
    private static final String DB = "value_limits";

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @BeforeAll
    static void createDatabase() {
        PG.get().createDatabase(DB);
    }

    private static PostgresSourceSettings.Builder settings(String table) {
        return PostgresSourceSettings.builder()
                .hostname(PG.get().host())
                .port(PG.get().port())
                .database(DB)
                .username(PostgresStandIn.USER)
                .password(PostgresStandIn.PASSWORD)
                .slotName("s_" + table)
                .publicationName("p_" + table)
                .tableInclude(List.of("public\\." + table))
                .heartbeatInterval(Duration.ofSeconds(1))
                .connectMaxRetries(1)
                .connectTimeout(Duration.ofSeconds(5));
    }

    @Test
    void moneyFromOneThousandFailsStartUpBeforeAnyPublicationOrSlotExistsWhenASnapshotWillRun() throws Exception {
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE till (id int PRIMARY KEY, cash money, tip money)",
                        "INSERT INTO till VALUES (1, 999.99, 1), (2, 12.50, -1000)");
        assertThatThrownBy(() -> PostgresPreflight.run(settings("till").build()))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("column public.till.tip (money) holds amounts of 1,000 or more")
                .hasMessageContaining("ALTER TABLE public.till ALTER COLUMN tip TYPE numeric(20,2)")
                .hasMessageContaining("snapshot.enabled = false")
                .message()
                .doesNotContain("public.till.cash");
        assertNoPublicationOrSlot("p_till", "s_till");
        assertThat(PostgresPreflight.run(settings("till").snapshotEnabled(false).build()))
                .as("without a snapshot nothing reads money with pgjdbc")
                .hasSize(1);
        PG.get().executeIn(DB, "DROP PUBLICATION p_till");
    }

    @Test
    void multiDimensionalValueInAOneDimensionalArrayColumnFailsStartUpUnlessExcludedOrDeclared() throws Exception {
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE grids (id int PRIMARY KEY, flat int[], cells int[])",
                        "INSERT INTO grids VALUES (1, '{1,2}', '{1,2}'), (2, '{3}', '{{1,2},{3,4}}')");
        assertThatThrownBy(() -> PostgresPreflight.run(
                        settings("grids").snapshotEnabled(false).build()))
                .hasMessageContaining("column public.grids.cells is declared as a one-dimensional array but holds"
                        + " arrays of more than one dimension")
                .hasMessageContaining("ALTER TABLE public.grids ALTER COLUMN cells TYPE int4[][]")
                .message()
                .doesNotContain("public.grids.flat");
        assertNoPublicationOrSlot("p_grids", "s_grids");
        assertThat(PostgresPreflight.run(settings("grids")
                        .excludedColumns(List.of("public\\.grids\\.cells"))
                        .build()))
                .as("an excluded column is never converted")
                .hasSize(1);
        PG.get().executeIn(DB, "DROP PUBLICATION p_grids", "ALTER TABLE grids ALTER COLUMN cells TYPE int4[][]");
        assertThat(PostgresPreflight.run(settings("grids").build()))
                .singleElement()
                .satisfies(t -> assertThat(t.textArrays()).containsExactly("cells"));
        PG.get().executeIn(DB, "DROP PUBLICATION p_grids");
    }

    @Test
    void unconstrainedNumericColumnsAreNamedInAWarning() throws Exception {
        PG.get()
                .executeIn(
                        DB,
                        "CREATE DOMAIN amount AS numeric",
                        "CREATE TABLE sums (id int PRIMARY KEY, total numeric,"
                                + " fee numeric(10,2), via_domain amount)");
        try (Connection c = PG.get().connect(DB)) {
            PostgresValueLimits.Findings f =
                    PostgresValueLimits.check(c, settings("sums").build(), List.of(new TableId("public", "sums")));
            assertThat(f.problems).isEmpty();
            assertThat(f.warnings)
                    .singleElement()
                    .asString()
                    .contains("[public.sums.total, public.sums.via_domain]", "NumberFormatException")
                    .doesNotContain("fee");
        }
    }

    /**
     * An int[][] and a text[][] column arrive as PostgreSQL's own text of them, from the snapshot (read chunk by chunk,
     * so pgjdbc switches to binary results after five chunks) and from the stream; unconstrained numeric ±Infinity
     * in the snapshot arrives as PostgreSQL's text too.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void declaredMultiDimensionalArraysAndSnapshotNumericInfinityArriveAsPostgresText() throws Exception {
        PG.get().executeIn(DB, "CREATE TABLE matrix (id int PRIMARY KEY, n numeric, grid int[][], words text[][])");
        int rows = 9;
        for (int id = 1; id <= rows; id++) {
            PG.get()
                    .executeIn(
                            DB,
                            "INSERT INTO matrix VALUES (" + id + ", "
                                    + (id == 1 ? "'Infinity'" : id == 2 ? "'-Infinity'" : id + ".5") + ", ARRAY[[" + id
                                    + ", 2], [3, NULL]], ARRAY[['a b', NULL], ['\"q', '{}']])");
        }
        PostgresSourceSettings s = settings("matrix").splitSize(1).build();
        try (CloseableIterator<ChangeEvent> it = source(s, PostgresPreflight.run(s))) {
            Map<Integer, ChangeEvent> snapshot = byId(take(it, rows));
            PG.get()
                    .executeIn(
                            DB,
                            "INSERT INTO matrix VALUES (100, 1, '{{5,6},{7,8}}', '{{\"x,y\",z}}')",
                            "INSERT INTO matrix VALUES (101, 'NaN', '{{1}}', '{{\"\"}}')",
                            "UPDATE matrix SET grid = '[0:1][0:0]={{9},{10}}' WHERE id = 100");
            Map<Integer, ChangeEvent> streamed = byId(take(it, 3)); // row 100: its update
            try (Connection c = PG.get().connect(DB)) {
                for (Map<Integer, ChangeEvent> events : List.of(snapshot, streamed)) {
                    for (ChangeEvent e : events.values()) {
                        int id = (Integer) e.key().get(0);
                        for (String column : List.of("n", "grid", "words")) {
                            int i = e.schema().indexOf(column);
                            assertThat(e.schema().columns().get(i).type().kind())
                                    .as(column)
                                    .isEqualTo(ValueKind.STRING);
                            assertThat(e.after().get(i))
                                    .as("%s of row %d (%s)", column, id, e.snapshot() ? "snapshot" : "stream")
                                    .isEqualTo(pgText(c, "SELECT " + column + "::text FROM matrix WHERE id = " + id));
                        }
                    }
                }
            }
        }
    }

    /** What the warning claims: the first streamed numeric Infinity stops the source, even in an excluded column. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void streamedNumericInfinityStopsTheSourceEvenInAnExcludedColumn() throws Exception {
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE rates (id int PRIMARY KEY, r numeric, note text)",
                        "INSERT INTO rates VALUES (1, 1, 'a')");
        PostgresSourceSettings s =
                settings("rates").excludedColumns(List.of("public\\.rates\\.r")).build();
        try (CloseableIterator<ChangeEvent> it = source(s, PostgresPreflight.run(s))) {
            take(it, 1);
            PG.get()
                    .executeIn(
                            DB,
                            "INSERT INTO rates VALUES (2, 'Infinity', 'b')",
                            "INSERT INTO rates VALUES (3, 3, 'c')");
            Throwable failure = null;
            try {
                while (it.hasNext()) {
                    it.next();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).as("the job fails").isNotNull();
            assertThat(ExceptionUtils.findThrowable(failure, NumberFormatException.class))
                    .as("cause of %s", failure)
                    .hasValueSatisfying(
                            n -> assertThat(n.getMessage()).contains("Character I is neither a decimal digit number"));
        }
    }

    /** What the money message claims: columns.exclude does not keep the snapshot from reading the column. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void moneyFromOneThousandFailsTheSnapshotEvenInAnExcludedColumn() throws Exception {
        PG.get()
                .executeIn(
                        DB, "CREATE TABLE wages (id int PRIMARY KEY, pay money)", "INSERT INTO wages VALUES (1, 1000)");
        PostgresSourceSettings s = settings("wages")
                .excludedColumns(List.of("public\\.wages\\.pay"))
                .build();
        TableId table = new TableId("public", "wages");
        try (Connection c = PG.get().connect(DB)) {
            PostgresPublication.ensure(c, s.publicationName(), List.of(table)); // the preflight would refuse
        }
        List<PostgresCapturedTable> tables =
                List.of(new PostgresCapturedTable(table, List.of("id"), true, List.of("id", "pay")));
        try (CloseableIterator<ChangeEvent> it = source(s, tables)) {
            assertThatThrownBy(it::hasNext)
                    .satisfies(e -> assertThat(
                                    ExceptionUtils.findThrowableWithMessage(e, "Bad value for type double : 1,000.00"))
                            .as("cause of %s", e)
                            .isPresent());
        }
    }

    private static CloseableIterator<ChangeEvent> source(PostgresSourceSettings s, List<PostgresCapturedTable> tables)
            throws Exception {
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(1000);
        return env.fromSource(PostgresSources.create(s, tables), WatermarkStrategy.noWatermarks(), "postgres")
                .executeAndCollect("value-limits-" + s.slotName());
    }

    private static List<ChangeEvent> take(CloseableIterator<ChangeEvent> it, int n) {
        List<ChangeEvent> out = new ArrayList<>();
        while (out.size() < n && it.hasNext()) {
            ChangeEvent e = it.next();
            if (!e.isTruncate()) { // the snapshot's baseline TRUNCATE carries no row
                out.add(e);
            }
        }
        assertThat(out).hasSize(n);
        return out;
    }

    private static Map<Integer, ChangeEvent> byId(List<ChangeEvent> events) {
        Map<Integer, ChangeEvent> out = new HashMap<>();
        events.stream()
                .filter(e -> !e.isTruncate()) // the snapshot's baseline has no row
                .forEach(e -> out.put((Integer) e.key().get(0), e));
        return out;
    }

    private static String pgText(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertNoPublicationOrSlot(String publication, String slot) throws Exception {
        try (Connection c = PG.get().connect(DB);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT (SELECT count(*) FROM pg_publication WHERE pubname = '" + publication
                                + "'), (SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).as("publication " + publication).isZero();
            assertThat(rs.getLong(2)).as("replication slot " + slot).isZero();
        }
    }
}
