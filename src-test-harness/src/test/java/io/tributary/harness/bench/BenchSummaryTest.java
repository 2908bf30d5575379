package io.tributary.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class BenchSummaryTest {
    private static CeilingFigure rate(String name, long changes, double seconds) {
        return new CeilingFigure(name, changes, "changes", Duration.ofMillis((long) (seconds * 1000)), "hand-made");
    }

    private static BenchRatio ratio(String name, double value) {
        return new BenchRatio(name, value, "x pg_recvlogical", 2, "hand-made");
    }

    @Test
    void oddRunsPrintTheMiddleValueAndTheSpreadOncePerFigure() {
        List<String> lines = BenchSummary.lines(List.of(
                List.of(rate("catch-up, sequencer", 24_500, 1), ratio("seq / recv", 0.40)),
                List.of(rate("catch-up, sequencer", 21_456, 1), ratio("seq / recv", 0.45)),
                List.of(rate("catch-up, sequencer", 24_010, 1), ratio("seq / recv", 0.30))));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("catch-up, sequencer ")
                .contains("24,010 changes/s  median of 3 (21,456–24,500)");
        assertThat(lines.get(1)).startsWith("seq / recv ").contains("0.40 x pg_recvlogical  median of 3 (0.30–0.45)");
    }

    @Test
    void evenRunsPrintTheMeanOfTheTwoMiddleValues() {
        List<String> lines = BenchSummary.lines(List.of(
                List.of(rate("snapshot", 10_000, 1)), List.of(rate("snapshot", 14_000, 1)),
                List.of(rate("snapshot", 40_000, 1)), List.of(rate("snapshot", 12_000, 1))));

        assertThat(lines)
                .containsExactly(String.format("%-44s   %s", "snapshot", "13,000 rows/s  median of 4 (10,000–40,000)")
                        .replace("rows", "changes"));
    }

    @Test
    void ratiosAreTheMedianOfPerRunRatiosNotARatioOfMedians() {
        // per run: 10/100 = 0.10, 30/60 = 0.50, 20/20 = 1.00 -> median 0.50; medians 20/60 would give 0.33
        List<List<Object>> runs =
                List.of(figuresWithRatio(10, 100), figuresWithRatio(30, 60), figuresWithRatio(20, 20));

        assertThat(BenchSummary.lines(runs))
                .filteredOn(l -> l.startsWith("job / ceiling"))
                .singleElement()
                .asString()
                .contains("0.50 x ceiling  median of 3 (0.10–1.00)");
    }

    private static List<Object> figuresWithRatio(long job, long ceiling) {
        List<Object> figures = new ArrayList<>(List.of(rate("job", job, 1), rate("ceiling", ceiling, 1)));
        BenchRatio.of(figures, "job / ceiling", "job", "ceiling", "x ceiling", "hand-made")
                .ifPresent(figures::add);
        return figures;
    }

    @Test
    void aFigureMissingInOneRunSaysOverHowManyRunsItsMedianIs() {
        List<String> lines = BenchSummary.lines(List.of(
                List.of(rate("a", 100, 1), rate("b", 7, 1)),
                List.of(rate("a", 300, 1), "FAILED b: timeout"),
                List.of(rate("a", 200, 1), rate("b", 9, 1))));

        assertThat(lines.get(0)).contains("200 changes/s  median of 3 (100–300)");
        assertThat(lines.get(1)).startsWith("b ").contains("8 changes/s  median of 2 of 3 runs (7–9)");
        assertThat(lines.get(2)).isEqualTo("run 2: FAILED b: timeout");
    }

    @Test
    void everyNumberOfAFigureGetsItsOwnMedianAndAWarningNamesItsRun() {
        List<String> lines = BenchSummary.lines(List.of(
                List.of(new LatencyFigure("commit -> on stream", List.of(10L, 20L, 500L), 0, "hand-made")),
                List.of(new LatencyFigure("commit -> on stream", List.of(30L, 40L, 900L), 2, "hand-made"))));

        assertThat(lines)
                .singleElement()
                .asString()
                .contains("30 ms p50  median of 2 (20–40)") // per-run p50s: 20 and 40
                .contains("700 ms p99  median of 2 (500–900)")
                .contains("[run 2: MISSING=2]");
    }

    @Test
    void aNumberNotMeasuredInARunIsLeftOutOfItsMedian() {
        List<String> lines = BenchSummary.lines(List.of(
                List.of(new LatencyFigure("probe", List.of(), 5, "hand-made")),
                List.of(new LatencyFigure("probe", List.of(40L), 0, "hand-made"))));

        assertThat(lines)
                .singleElement()
                .asString()
                .contains("40 ms p50  median of 2, 1 measured (40–40)")
                .contains("[run 1: MISSING=5]");
    }
}
