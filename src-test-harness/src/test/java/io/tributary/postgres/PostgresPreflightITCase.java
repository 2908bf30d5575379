package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.TableId;
import io.tributary.harness.PostgresStandIn;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The start-up checks against a real PostgreSQL: a good server passes, each bad input gives its message. */
class PostgresPreflightITCase {
    private static final String DB = "preflight";
    private static PostgresStandIn pg;

    @BeforeAll
    static void startDatabase() {
        pg = PostgresStandIn.start();
        pg.createDatabase(DB);
        pg.executeIn(DB,
                "CREATE TABLE orders (id int, line int, qty int, PRIMARY KEY (line, id))",
                "CREATE TABLE events (at timestamptz, msg text)",
                "CREATE ROLE plain LOGIN PASSWORD 'plain'",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO plain");
    }

    @AfterAll
    static void stopDatabase() {
        if (pg != null) {
            pg.close();
        }
    }

    private static PostgresSourceSettings.Builder settings() {
        return PostgresSourceSettings.builder().hostname(pg.host()).port(pg.port()).database(DB)
                .username(PostgresStandIn.USER).password(PostgresStandIn.PASSWORD)
                .slotName("s").publicationName("p").tableInclude(List.of("public\\.orders"))
                .connectMaxRetries(1).connectTimeout(Duration.ofSeconds(2));
    }

    @Test
    void goodServerPassesAndResolvesPrimaryKeyInKeyOrder() {
        assertThat(PostgresPreflight.run(settings().build())).containsExactly(new PostgresCapturedTable(
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
        assertThatThrownBy(() -> PostgresPreflight.run(settings().username("plain").password("plain").build()))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("ALTER ROLE plain WITH REPLICATION");
    }

    @Test
    void tableWithoutPrimaryKeyIsRejectedUnlessKeyColumnsAreConfigured() {
        PostgresSourceSettings.Builder events = settings().tableInclude(List.of("public\\.events"));
        assertThatThrownBy(() -> PostgresPreflight.run(events.build()))
                .hasMessageContaining("table public.events has no primary key: add a primary key or list key columns"
                        .replace(" or list", ", or list"));
        TableId table = new TableId("public", "events");
        assertThatThrownBy(() -> PostgresPreflight.run(events.keyColumns(table, List.of("when")).build()))
                .hasMessageContaining("keyColumns for public.events name [when]");
        pg.executeIn(DB, "ALTER TABLE events REPLICA IDENTITY FULL");
        assertThat(PostgresPreflight.run(events.keyColumns(table, List.of("at")).build()))
                .containsExactly(new PostgresCapturedTable(table, List.of("at"), false, List.of("at", "msg")));
    }

    @Test
    void noMatchingTableNamesThePatterns() {
        assertThatThrownBy(() -> PostgresPreflight.run(settings().tableInclude(List.of("public\\.order")).build()))
                .hasMessageContaining("no table in database preflight matches tableInclude [public\\.order]");
    }
}
