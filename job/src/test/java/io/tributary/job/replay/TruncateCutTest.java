package io.tributary.job.replay;

import static io.tributary.event.TestTables.WIDGETS;
import static io.tributary.event.TestTables.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.TestTables;

import org.junit.jupiter.api.Test;

import java.util.Map;

class TruncateCutTest {
    @Test
    void keepsOnlyTheLastTruncateOfATableAndWhatFollowsIt() {
        ChangeEvent first = TestTables.event(WIDGETS, Op.TRUNCATE, 20, null, null);
        ChangeEvent last = TestTables.event(WIDGETS, Op.TRUNCATE, 40, null, null);
        TruncateCut cut = new TruncateCut(Map.of("public.widgets", last));

        assertThat(cut.filter(insert(WIDGETS, 10, 1, 1, "a", "d"))).isFalse();
        assertThat(cut.filter(first)).as("subsumed by the last one").isFalse();
        assertThat(cut.filter(insert(WIDGETS, 30, 1, 1, "a", "d"))).isFalse();
        assertThat(cut.filter(last)).isTrue();
        assertThat(cut.filter(insert(WIDGETS, 50, 1, 1, "a", "d"))).isTrue();
        assertThat(cut.filter(insert(WIDGETS, 40, 2, 1, "a", "d")))
                .as("the TRUNCATE's own position is not after it")
                .isFalse();
    }

    @Test
    void tablesWithoutATruncatePassUntouched() {
        TruncateCut cut = new TruncateCut(Map.of());
        assertThat(cut.filter(insert(WIDGETS, 10, 1, 1, "a", "d"))).isTrue();
        assertThat(cut.filter(TestTables.event(WIDGETS, Op.TRUNCATE, 20, null, null)))
                .isTrue();
    }
}
