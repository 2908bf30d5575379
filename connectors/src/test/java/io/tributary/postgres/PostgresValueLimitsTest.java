package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The decisions of the start-up value checks on catalog rows, without a server. */
class PostgresValueLimitsTest {
    private static final TableId T = new TableId("public", "ledger");
    private static final PostgresValueLimits.ColumnInfo FREE = col("amount", "numeric", -1, 0, false);
    private static final PostgresValueLimits.ColumnInfo SCALED = col("fee", "numeric", (12 << 16 | 2) + 4, 0, false);

    private static PostgresValueLimits.ColumnInfo col(String name, String type, int typmod, int dims, boolean array) {
        return new PostgresValueLimits.ColumnInfo(T, name, type, typmod, dims, array);
    }

    @Test
    void unconstrainedNumericIsWarnedAboutFromPostgres14() {
        assertThat(PostgresValueLimits.numericInfinityWarning(130012, List.of(FREE)))
                .as("13 has no numeric Infinity")
                .isEmpty();
        assertThat(PostgresValueLimits.numericInfinityWarning(150018, List.of(SCALED)))
                .as("numeric(p,s) cannot hold it")
                .isEmpty();
        assertThat(PostgresValueLimits.numericInfinityWarning(140000, List.of(SCALED, FREE)))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains(
                                "[public.ledger.amount]",
                                "NumberFormatException",
                                "RUNBOOK",
                                "ALTER TABLE public.ledger ADD CHECK (amount NOT IN ('Infinity', '-Infinity'))",
                                "Excluding the column does not help")
                        .doesNotContain("fee"));
    }

    @Test
    void onlyArraysDeclaredWithMoreThanOneDimensionAreCarriedAsText() {
        assertThat(PostgresValueLimits.textArrays(List.of(
                        col("a", "_int4", -1, 1, true),
                        col("b", "_int4", -1, 2, true),
                        col("c", "_text", -1, 3, true),
                        FREE)))
                .containsExactly("public.ledger.b", "public.ledger.c");
        assertThat(col("x", "_int4", -1, 0, true).isOneDimensionalArray())
                .as("CREATE TABLE AS gives 0")
                .isTrue();
        assertThat(col("x", "_int4", -1, 2, true).isOneDimensionalArray()).isFalse();
        assertThat(FREE.isOneDimensionalArray()).isFalse();
    }

    @Test
    void messagesNameTheColumnAndEveryRemedy() {
        assertThat(PostgresValueLimits.moneyProblem(col("Price", "money", -1, 0, false)))
                .contains(
                        "public.ledger.Price",
                        "1,000",
                        "ALTER TABLE public.ledger ALTER COLUMN \"Price\" TYPE numeric(20,2)",
                        "snapshot.enabled = false",
                        "tables.exclude",
                        "columns.exclude does not help");
        assertThat(PostgresValueLimits.multiDimensionalProblem(col("grid", "_int4", -1, 1, true)))
                .contains(
                        "public.ledger.grid",
                        "ALTER TABLE public.ledger ALTER COLUMN grid TYPE int4[][]",
                        "columns.exclude public.ledger.grid");
    }
}
