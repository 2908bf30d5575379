package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.TableId;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresStandIn;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The publication is prepared by the preflight and never altered while the source runs. Debezium's
 * "filtered" autocreate mode narrowed it to one table for every snapshot split's backfill, so pgoutput
 * dropped the other tables' changes committed before the stream phase widened it again: changes lost.
 */
class PostgresPublicationITCase {
    private static final TableId ALPHA = new TableId("public", "alpha");
    private static final TableId BETA = new TableId("public", "beta");

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    private static PostgresSourceSettings settings(String db, String publication) {
        return PostgresSourceSettings.builder()
                .hostname(PG.get().host())
                .port(PG.get().port())
                .database(db)
                .username(PostgresStandIn.USER)
                .password(PostgresStandIn.PASSWORD)
                .slotName(db + "_slot")
                .publicationName(publication)
                .tableInclude(List.of("public\\.(alpha|beta)"))
                .splitSize(2)
                .heartbeatInterval(Duration.ofSeconds(1))
                .build();
    }

    private static void createTables(String db) {
        PG.get()
                .executeIn(
                        db,
                        "CREATE TABLE alpha (id int PRIMARY KEY, v text)",
                        "CREATE TABLE beta (id int PRIMARY KEY, v text)",
                        "CREATE TABLE gamma (id int PRIMARY KEY, v text)",
                        "INSERT INTO alpha SELECT g, 'a' || g FROM generate_series(1, 6) g",
                        "INSERT INTO beta SELECT g, 'b' || g FROM generate_series(1, 6) g");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void sourceNeverAltersThePublicationAndLosesNoChangeAtTheSwitchToStreaming() throws Exception {
        String db = PG.get().createDatabase("pubsource");
        createTables(db);
        // Records every publication DDL, whoever runs it, so the test sees the source's own statements.
        PG.get()
                .executeIn(
                        db,
                        "CREATE TABLE publication_ddl (tag text)",
                        "CREATE FUNCTION log_publication_ddl() RETURNS event_trigger LANGUAGE plpgsql AS"
                                + " $$ BEGIN INSERT INTO publication_ddl VALUES (tg_tag); END $$",
                        "CREATE EVENT TRIGGER publication_ddl ON ddl_command_end"
                                + " WHEN TAG IN ('CREATE PUBLICATION', 'ALTER PUBLICATION') EXECUTE FUNCTION log_publication_ddl()");
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        try (CloseableIterator<ChangeEvent> it = env.fromSource(
                        PostgresSources.create(settings(db, "pubsource_pub")), WatermarkStrategy.noWatermarks(), "pg")
                .executeAndCollect("publication-it")) {
            // 12 rows, and each table's snapshot baseline (a TRUNCATE flagged snapshot) before them
            List<ChangeEvent> snapshot = take(it, 14);
            assertThat(snapshot).allMatch(ChangeEvent::snapshot);
            assertThat(snapshot)
                    .filteredOn(ChangeEvent::isTruncate)
                    .extracting(ChangeEvent::table)
                    .containsExactlyInAnyOrder(ALPHA, BETA);
            // Right after the snapshot, usually before the stream split has started: the window that lost changes.
            PG.get()
                    .executeIn(
                            db,
                            "INSERT INTO alpha VALUES (100, 'new')",
                            "INSERT INTO beta VALUES (100, 'new')",
                            "UPDATE alpha SET v = 'x' WHERE id = 1",
                            "UPDATE beta SET v = 'x' WHERE id = 1");
            List<ChangeEvent> streamed = take(it, 4);
            assertThat(streamed).noneMatch(ChangeEvent::snapshot);
            assertThat(streamed).extracting(ChangeEvent::table).containsExactlyInAnyOrder(ALPHA, BETA, ALPHA, BETA);
        }
        try (Connection c = PG.get().connect(db);
                ResultSet rs = c.createStatement().executeQuery("SELECT tag FROM publication_ddl")) {
            List<String> tags = new ArrayList<>();
            while (rs.next()) {
                tags.add(rs.getString(1));
            }
            assertThat(tags).as("publication DDL run against the database").containsExactly("CREATE PUBLICATION");
        }
        assertThat(publishedTables(db, "pubsource_pub")).containsExactly(ALPHA, BETA);
    }

    @Test
    void preflightSetsAnExistingPublicationToExactlyTheCapturedTables() throws Exception {
        String db = PG.get().createDatabase("pubexisting");
        createTables(db);
        PG.get()
                .executeIn(
                        db,
                        "CREATE PUBLICATION narrow FOR TABLE alpha, gamma",
                        "CREATE PUBLICATION everything FOR ALL TABLES");
        PostgresPreflight.run(settings(db, "narrow"));
        assertThat(publishedTables(db, "narrow")).containsExactly(ALPHA, BETA);
        PostgresPreflight.run(settings(db, "everything"));
        assertThat(publishedTables(db, "everything")).contains(ALPHA, BETA, new TableId("public", "gamma"));
    }

    private static TreeSet<TableId> publishedTables(String db, String publication) throws Exception {
        TreeSet<TableId> tables = new TreeSet<>();
        try (Connection c = PG.get().connect(db);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT schemaname, tablename FROM" + " pg_publication_tables WHERE pubname = '"
                                + publication + "'")) {
            while (rs.next()) {
                tables.add(new TableId(rs.getString(1), rs.getString(2)));
            }
        }
        return tables;
    }

    private static List<ChangeEvent> take(CloseableIterator<ChangeEvent> it, int n) {
        List<ChangeEvent> out = new ArrayList<>();
        while (out.size() < n && it.hasNext()) {
            out.add(it.next());
        }
        assertThat(out).hasSize(n);
        return out;
    }
}
