package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.TableId;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresStandIn;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** The start-up checks against a real PostgreSQL: a good server passes, each bad input gives its message. */
class PostgresPreflightITCase {
    private static final String DB = "preflight";

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @BeforeAll
    static void createDatabase() {
        PG.get().createDatabase(DB);
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE orders (id int, line int, qty int, PRIMARY KEY (line, id))",
                        "CREATE TABLE events (at timestamptz, msg text)",
                        "CREATE ROLE plain LOGIN PASSWORD 'plain'",
                        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO plain");
    }

    private static PostgresSourceSettings.Builder settings() {
        return PostgresSourceSettings.builder()
                .hostname(PG.get().host())
                .port(PG.get().port())
                .database(DB)
                .username(PostgresStandIn.USER)
                .password(PostgresStandIn.PASSWORD)
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("public\\.orders"))
                .connectMaxRetries(1)
                .connectTimeout(Duration.ofSeconds(2));
    }

    @Test
    void goodServerPassesAndResolvesPrimaryKeyInKeyOrder() {
        assertThat(PostgresPreflight.run(settings().build()))
                .containsExactly(new PostgresCapturedTable(
                        new TableId("public", "orders"), List.of("line", "id"), true, List.of("id", "line", "qty")));
    }

    @Test
    void unreachableDatabaseFailsAfterRetriesNamingHostAndPort() {
        int closedPort = PostgresStandIn.freePort();
        PostgresSourceSettings s = settings().port(closedPort).build();
        assertThatThrownBy(() -> PostgresPreflight.connect(s, Duration.ofMillis(10)))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("cannot connect to PostgreSQL at 127.0.0.1:" + closedPort)
                .hasMessageContaining("after 2 attempt(s)")
                .hasMessageContaining("refused");
    }

    @Test
    void roleWithoutReplicationIsToldTheGrant() {
        assertThatThrownBy(() -> PostgresPreflight.run(
                        settings().username("plain").password("plain").build()))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("ALTER ROLE plain WITH REPLICATION");
    }

    @Test
    void tableWithoutPrimaryKeyIsRejectedUnlessKeyColumnsAreConfigured() {
        PostgresSourceSettings.Builder events = settings().tableInclude(List.of("public\\.events"));
        assertThatThrownBy(() -> PostgresPreflight.run(events.build()))
                .hasMessageContaining("table public.events has no primary key and not REPLICA IDENTITY FULL")
                .hasMessageContaining("run ALTER TABLE public.events REPLICA IDENTITY FULL and list its key columns"
                        + " in key-columns");
        TableId table = new TableId("public", "events");
        assertThatThrownBy(() -> PostgresPreflight.run(
                        events.keyColumns(table, List.of("when")).build()))
                .hasMessageContaining("key-columns for public.events name [when]");
        PG.get().executeIn(DB, "ALTER TABLE events REPLICA IDENTITY FULL");
        assertThat(PostgresPreflight.run(events.keyColumns(table, List.of("at")).build()))
                .containsExactly(new PostgresCapturedTable(table, List.of("at"), false, List.of("at", "msg")));
    }

    @Test
    void replicaIdentityNothingFailsBeforeAnyPublicationOrSlotExists() throws Exception {
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE quiet (id int PRIMARY KEY, v int)",
                        "ALTER TABLE quiet REPLICA IDENTITY NOTHING");
        PostgresSourceSettings s = settings()
                .tableInclude(List.of("public\\.quiet"))
                .publicationName("p_quiet")
                .build();
        assertThatThrownBy(() -> PostgresPreflight.run(s))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("table public.quiet has REPLICA IDENTITY NOTHING")
                .hasMessageContaining("run ALTER TABLE public.quiet REPLICA IDENTITY DEFAULT");
        assertNoPublicationOrSlot("p_quiet");
        PG.get().executeIn(DB, "ALTER TABLE quiet REPLICA IDENTITY DEFAULT");
        assertThat(PostgresPreflight.run(s)).hasSize(1);
    }

    @Test
    void replicaIdentityIndexThatWasDroppedFailsBeforeAnyPublicationOrSlotExists() throws Exception {
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE coded (id int PRIMARY KEY, code int NOT NULL)",
                        "CREATE UNIQUE INDEX coded_code ON coded (code)",
                        "ALTER TABLE coded REPLICA IDENTITY USING INDEX coded_code");
        PostgresSourceSettings s = settings()
                .tableInclude(List.of("public\\.coded"))
                .publicationName("p_coded")
                .build();
        assertThat(PostgresPreflight.run(s))
                .as("an identity index that exists is fine")
                .hasSize(1);
        PG.get().executeIn(DB, "DROP PUBLICATION p_coded", "DROP INDEX coded_code");
        assertThatThrownBy(() -> PostgresPreflight.run(s))
                .hasMessageContaining("table public.coded has REPLICA IDENTITY USING INDEX, but that index was dropped")
                .hasMessageContaining("run ALTER TABLE public.coded REPLICA IDENTITY DEFAULT");
        assertNoPublicationOrSlot("p_coded");
    }

    @Test
    void tableWithoutPrimaryKeyOrFullIdentityFailsBeforeAnyPublicationOrSlotExists() throws Exception {
        PG.get().executeIn(DB, "CREATE TABLE loose (a int, b text)");
        PostgresSourceSettings s = settings()
                .tableInclude(List.of("public\\.loose"))
                .publicationName("p_loose")
                .keyColumns(new TableId("public", "loose"), List.of("a"))
                .build();
        assertThatThrownBy(() -> PostgresPreflight.run(s))
                .hasMessageContaining("table public.loose has no primary key and not REPLICA IDENTITY FULL")
                .hasMessageContaining("run ALTER TABLE public.loose REPLICA IDENTITY FULL");
        assertNoPublicationOrSlot("p_loose");
    }

    /** What the messages claim: published, such a table rejects the application's UPDATEs. */
    @Test
    void publishedTableWithoutReplicaIdentityRejectsUpdatesAsTheMessageSays() throws Exception {
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE claim (id int PRIMARY KEY, v int)",
                        "INSERT INTO claim VALUES (1, 1)",
                        "ALTER TABLE claim REPLICA IDENTITY NOTHING",
                        "CREATE PUBLICATION p_claim FOR TABLE claim");
        assertThatThrownBy(() -> PG.get().executeIn(DB, "UPDATE claim SET v = 2"))
                .hasMessageContaining("does not have a replica identity and publishes updates");
        PG.get().executeIn(DB, "DROP PUBLICATION p_claim");
    }

    private static void assertNoPublicationOrSlot(String publication) throws Exception {
        try (Connection c = PG.get().connect(DB);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM pg_publication WHERE pubname = '"
                        + publication + "'), (SELECT count(*) FROM pg_replication_slots)")) {
            rs.next();
            assertThat(rs.getLong(1)).as("publication " + publication).isZero();
            assertThat(rs.getLong(2)).as("replication slots").isZero();
        }
    }

    @Test
    void noMatchingTableNamesThePatterns() {
        assertThatThrownBy(() -> PostgresPreflight.run(
                        settings().tableInclude(List.of("public\\.order")).build()))
                .hasMessageContaining("no table in database preflight matches tables.include [public\\.order]");
    }
}
