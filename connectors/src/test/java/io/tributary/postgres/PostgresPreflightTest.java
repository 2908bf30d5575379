package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.TableId;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/** The preflight's decisions on values read from a server, including states a test server cannot be put in. */
class PostgresPreflightTest {
    private static final TableId ORDERS = new TableId("public", "orders");
    private static final TableId LOG = new TableId("public", "audit_log");
    private static final TableId OTHER = new TableId("sales", "invoices");
    private static final List<PostgresTableCatalog.TableInfo> CATALOG = List.of(
            new PostgresTableCatalog.TableInfo(ORDERS, List.of("id", "qty"), List.of("id"), "d"),
            new PostgresTableCatalog.TableInfo(LOG, List.of("at", "msg"), List.of(), "d"),
            new PostgresTableCatalog.TableInfo(OTHER, List.of("a", "b"), List.of("b", "a"), "d"));

    private static PostgresSourceSettings.Builder settings() {
        return PostgresSourceSettings.builder()
                .hostname("db.example")
                .port(5432)
                .database("shop")
                .username("cdc")
                .password("secret")
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("public\\..*", "sales\\..*"));
    }

    @Test
    void walLevelOtherThanLogicalSaysHowToSetIt() {
        assertThat(PostgresPreflight.checkWalLevel("logical", settings().build()))
                .isEmpty();
        assertThat(PostgresPreflight.checkWalLevel("replica", settings().build()))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains(
                                "'replica'",
                                "db.example:5432",
                                "wal_level = logical",
                                "restart",
                                "rds.logical_replication"));
    }

    @Test
    void userWithoutReplicationIsToldTheGrant() {
        assertThat(PostgresPreflight.checkReplicationPrivilege("cdc", true, false, false))
                .isEmpty();
        assertThat(PostgresPreflight.checkReplicationPrivilege("cdc", false, true, false))
                .isEmpty();
        assertThat(PostgresPreflight.checkReplicationPrivilege("cdc", false, false, true))
                .isEmpty();
        assertThat(PostgresPreflight.checkReplicationPrivilege("cdc", false, false, false))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("ALTER ROLE cdc WITH REPLICATION", "GRANT rds_replication TO cdc"));
    }

    @Test
    void resolvesTablesWithPrimaryKeysInKeyOrder() {
        List<PostgresCapturedTable> tables = PostgresPreflight.resolveTables(
                settings().tableExclude(List.of("public\\.audit_.*")).build(), CATALOG);
        assertThat(tables)
                .containsExactly(
                        new PostgresCapturedTable(ORDERS, List.of("id"), true, List.of("id", "qty")),
                        new PostgresCapturedTable(OTHER, List.of("b", "a"), true, List.of("a", "b")));
    }

    @Test
    void tableWithoutPrimaryKeyNeedsKeyColumns() {
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(settings().build(), CATALOG))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("table public.audit_log has no primary key and not REPLICA IDENTITY FULL")
                .hasMessageContaining(
                        "ALTER TABLE public.audit_log REPLICA IDENTITY FULL and list its key columns in key-columns");
    }

    @Test
    void configuredKeyColumnsMustExistAndNeedReplicaIdentityFull() {
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(
                        settings().keyColumns(LOG, List.of("at", "nope")).build(), CATALOG))
                .hasMessageContaining("key-columns for public.audit_log name [nope]");
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(
                        settings().keyColumns(LOG, List.of("at")).build(), CATALOG))
                .hasMessageContaining("ALTER TABLE public.audit_log REPLICA IDENTITY FULL");
        List<PostgresTableCatalog.TableInfo> full =
                List.of(new PostgresTableCatalog.TableInfo(LOG, List.of("at", "msg"), List.of(), "f"));
        assertThat(PostgresPreflight.resolveTables(
                        settings().keyColumns(LOG, List.of("at")).build(), full))
                .containsExactly(new PostgresCapturedTable(LOG, List.of("at"), false, List.of("at", "msg")));
    }

    @Test
    void replicaIdentityNothingFailsWithTheStatementToFixIt() {
        List<PostgresTableCatalog.TableInfo> nothing =
                List.of(new PostgresTableCatalog.TableInfo(ORDERS, List.of("id", "qty"), List.of("id"), "n"));
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(settings().build(), nothing))
                .hasMessageContaining("table public.orders has REPLICA IDENTITY NOTHING")
                .hasMessageContaining("rejects every UPDATE and DELETE")
                .hasMessageContaining("ALTER TABLE public.orders REPLICA IDENTITY DEFAULT");
        List<PostgresTableCatalog.TableInfo> noKey =
                List.of(new PostgresTableCatalog.TableInfo(LOG, List.of("at", "msg"), List.of(), "n"));
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(
                        settings().keyColumns(LOG, List.of("at")).build(), noKey))
                .hasMessageContaining("table public.audit_log has REPLICA IDENTITY NOTHING")
                .hasMessageContaining("ALTER TABLE public.audit_log REPLICA IDENTITY FULL");
    }

    @Test
    void replicaIdentityIndexThatWasDroppedFailsButAnExistingOnePasses() {
        List<PostgresTableCatalog.TableInfo> dropped =
                List.of(new PostgresTableCatalog.TableInfo(ORDERS, List.of("id", "qty"), List.of("id"), "i", null));
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(settings().build(), dropped))
                .hasMessageContaining(
                        "table public.orders has REPLICA IDENTITY USING INDEX, but that index was dropped")
                .hasMessageContaining("ALTER TABLE public.orders REPLICA IDENTITY DEFAULT");
        List<PostgresTableCatalog.TableInfo> present = List.of(
                new PostgresTableCatalog.TableInfo(ORDERS, List.of("id", "qty"), List.of("id"), "i", "orders_id_qty"));
        assertThat(PostgresPreflight.resolveTables(settings().build(), present)).hasSize(1);
    }

    @Test
    void everyProblemIsListedAndSqlQuotesNamesThatNeedIt() {
        TableId mixed = new TableId("Sales", "Order Lines");
        List<PostgresTableCatalog.TableInfo> catalog = List.of(
                new PostgresTableCatalog.TableInfo(mixed, List.of("a"), List.of("a"), "n"),
                new PostgresTableCatalog.TableInfo(LOG, List.of("at", "msg"), List.of(), "d"));
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(
                        settings().tableInclude(List.of(".*")).build(), catalog))
                .hasMessageContaining("ALTER TABLE \"Sales\".\"Order Lines\" REPLICA IDENTITY DEFAULT")
                .hasMessageContaining("table public.audit_log has no primary key");
    }

    @Test
    void noMatchingTableNamesThePatterns() {
        assertThatThrownBy(() -> PostgresPreflight.resolveTables(
                        settings().tableInclude(List.of("public\\.ordrs")).build(), CATALOG))
                .hasMessageContaining("no table in database shop matches tables.include [public\\.ordrs]")
                .hasMessageContaining("public.orders");
    }

    @Test
    void settingsValidationSaysWhatToFixAndHidesThePassword() {
        assertThatThrownBy(() -> PostgresSourceSettings.builder()
                        .port(0)
                        .slotName("Bad-Slot")
                        .tableInclude(List.of("("))
                        .heartbeatInterval(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hostname is not set")
                .hasMessageContaining("port 0 is out of range")
                .hasMessageContaining("slot.name 'Bad-Slot' is not valid")
                .hasMessageContaining("tables.include entry '(' is not a valid regex")
                .hasMessageContaining("heartbeat.interval PT0S must be positive");
        assertThat(settings().build().toString()).doesNotContain("secret").contains("password=****");
    }

    @Test
    void sourceTableRegexesMatchExactlyOneTable() {
        assertThat(PostgresSources.regexFor(new TableId("public", "a.b$c"))).isEqualTo("public\\.a\\.b\\$c");
        assertThat("public.orders".matches(PostgresSources.regexFor(ORDERS))).isTrue();
        assertThat("publicXorders".matches(PostgresSources.regexFor(ORDERS))).isFalse();
    }

    @Test
    void multiDimensionalArrayColumnsGoToTheirTable() {
        List<PostgresCapturedTable> tables = List.of(
                new PostgresCapturedTable(ORDERS, List.of("id"), true, List.of("id", "grid")),
                new PostgresCapturedTable(OTHER, List.of("a"), true, List.of("a", "b")));
        assertThat(PostgresPreflight.withTextArrays(tables, List.of("public.orders.grid", "public.orders_x.grid")))
                .containsExactly(
                        new PostgresCapturedTable(ORDERS, List.of("id"), true, List.of("id", "grid"), List.of("grid")),
                        new PostgresCapturedTable(OTHER, List.of("a"), true, List.of("a", "b")));
    }
}
