package io.tributary.harness.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.Op;
import io.tributary.event.TableId;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class ChangeFactComparisonTest {
    private static final TableId T = new TableId("public", "t");

    private static ChangeFact f(String key, Op op, long tx, String where) {
        return new ChangeFact(T, key == null ? List.of() : List.of(key), op, tx, where);
    }

    @Test
    void sameChangesInTheSameOrderPerRowMatchWhateverTheOrderAcrossRows() {
        List<ChangeFact> decoded =
                List.of(f("1", Op.INSERT, 10, "d0"), f("2", Op.INSERT, 10, "d1"), f("1", Op.DELETE, 11, "d2"));
        List<ChangeFact> log =
                List.of(f("2", Op.INSERT, 10, "l0"), f("1", Op.INSERT, 10, "l1"), f("1", Op.DELETE, 11, "l2"));

        ChangeFactComparison c = ChangeFactComparison.compare("log", decoded, log);

        assertThat(c.matches()).as("%s", c).isTrue();
    }

    @Test
    void namesTheMissingTheUndecodedAndTheRowsOutOfOrder() {
        // The concurrent insert/delete case: A inserts K and deletes it (tx 10), then B's insert (tx 11) commits.
        List<ChangeFact> decoded = List.of(
                f("7", Op.INSERT, 10, "decoded #0"),
                f("7", Op.DELETE, 10, "decoded #1"),
                f("7", Op.INSERT, 11, "decoded #2"),
                f(null, Op.TRUNCATE, 12, "decoded #3"),
                f("8", Op.INSERT, 13, "decoded #4"));
        List<ChangeFact> log = List.of(
                f("7", Op.INSERT, 10, "e1"),
                f("7", Op.INSERT, 11, "e2"),
                f("7", Op.DELETE, 10, "e3"),
                f("8", Op.INSERT, 13, "e4"),
                f("8", Op.INSERT, 13, "e5 (replayed)"));

        ChangeFactComparison c = ChangeFactComparison.compare("event log", decoded, log);

        assertThat(c.complete()).isFalse();
        assertThat(c.missing()).containsExactly(f(null, Op.TRUNCATE, 12, "decoded #3"));
        assertThat(c.unexpected()).extracting(ChangeFact::where).containsExactly("e5 (replayed)");
        assertThat(c.outOfOrder())
                .containsExactly(
                        "public.t [7]: decoded [INSERT tx 10, DELETE tx 10, INSERT tx 11], event log [INSERT tx 10, INSERT tx 11, DELETE tx 10]");
        assertThat(c.toString()).contains("1 missing", "public.t [] TRUNCATE tx 12 (decoded #3)", "e5 (replayed)");
    }

    @Test
    void aKeyUpdateIsADeleteOfTheOldKeyThenAnInsertOfTheNew() {
        List<DecodedChange> decoded = TestDecodingParser.parse(List.of(
                "BEGIN 5",
                "table public.t: UPDATE: old-key: id[integer]:1 new-tuple: id[integer]:2 v[text]:'x'",
                "COMMIT 5"));

        assertThat(DecodedOracle.expected(decoded, Map.of(T, List.of("id"))))
                .extracting(ChangeFact::identity)
                .containsExactly(
                        new ChangeFact.Identity(T, List.of("1"), Op.DELETE, 5),
                        new ChangeFact.Identity(T, List.of("2"), Op.INSERT, 5));
        assertThat(DecodedOracle.expected(decoded, Map.of()))
                .as("tables not captured are left out")
                .isEmpty();
    }
}
