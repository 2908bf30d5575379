package io.tributary.harness.bench;

import java.util.List;
import java.util.Locale;

/**
 * One figure the benchmark prints: a name that stays the same from run to run and its numbers, so that
 * {@link BenchSummary} can take the median and spread of every number over {@code --runs N} without
 * parsing printed text. A ratio is a number of its own figure, computed within one run.
 */
interface BenchFigure {
    /** Stable across runs: the summary matches figures of different runs by it. */
    String name();

    /** The figure's numbers in print order; units are unique within one figure. */
    List<Value> values();

    /** What makes this run's numbers suspect (a shortfall, a count mismatch, missing samples), or "". */
    default String warning() {
        return "";
    }

    /** One number: its unit (also its name within the figure), value (NaN: not measured) and printed decimals. */
    record Value(String unit, double value, int decimals) {
        String format(double v) {
            return String.format(Locale.ROOT, "%,." + decimals + "f %s", v, unit);
        }
    }
}
