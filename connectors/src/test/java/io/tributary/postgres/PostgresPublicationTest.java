package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.TableId;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * The publication is prepared once before the job and never altered by the source: Debezium's "filtered"
 * mode narrowed it to one table per snapshot backfill, which lost the other tables' changes made between
 * the last backfill and the start of the stream phase.
 */
class PostgresPublicationTest {
    private static final TableId ORDERS = new TableId("public", "orders");
    private static final TableId ITEMS = new TableId("sales", "Line Items");
    private static final List<TableId> CAPTURED = List.of(ORDERS, ITEMS);

    @Test
    void sourceNeverCreatesOrAltersThePublication() {
        PostgresSourceSettings settings = PostgresSourceSettings.builder()
                .hostname("db.example")
                .port(5432)
                .database("shop")
                .username("cdc")
                .password("secret")
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("public\\..*"))
                .build();
        assertThat(PostgresSources.debeziumProperties(settings, Map.of()))
                .containsEntry("publication.name", "p")
                .containsEntry("publication.autocreate.mode", "disabled");
    }

    @Test
    void missingPublicationIsCreatedForTheCapturedTables() {
        assertThat(PostgresPublication.statement("p", PostgresPublication.State.missing(), CAPTURED))
                .contains("CREATE PUBLICATION \"p\" FOR TABLE \"public\".\"orders\", \"sales\".\"Line Items\"");
    }

    @Test
    void publicationWithOtherTablesIsSetToExactlyTheCapturedOnes() {
        PostgresPublication.State narrowed = PostgresPublication.State.of(false, true, List.of(ORDERS));
        assertThat(PostgresPublication.statement("p", narrowed, CAPTURED))
                .contains("ALTER PUBLICATION \"p\" SET TABLE \"public\".\"orders\", \"sales\".\"Line Items\"");
        PostgresPublication.State wider =
                PostgresPublication.State.of(false, true, List.of(ORDERS, ITEMS, new TableId("public", "audit")));
        assertThat(PostgresPublication.statement("p", wider, CAPTURED))
                .hasValueSatisfying(
                        sql -> assertThat(sql).startsWith("ALTER PUBLICATION").doesNotContain("audit"));
    }

    @Test
    void publicationThatAlreadyCoversTheTablesIsLeftAlone() {
        assertThat(PostgresPublication.statement(
                        "p", PostgresPublication.State.of(false, true, List.of(ITEMS, ORDERS)), CAPTURED))
                .isEmpty();
        assertThat(PostgresPublication.statement("p", PostgresPublication.State.of(true, true, List.of()), CAPTURED))
                .isEmpty();
    }

    @Test
    void publicationLeavingOutSomeOperationsIsRefusedWithTheFix() {
        assertThatThrownBy(() -> PostgresPublication.statement(
                        "p", PostgresPublication.State.of(false, false, CAPTURED), CAPTURED))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("ALTER PUBLICATION \"p\" SET (publish = 'insert, update, delete, truncate')");
    }
}
