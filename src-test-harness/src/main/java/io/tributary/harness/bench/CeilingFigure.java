package io.tributary.harness.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measured ceiling: {@code count} items ({@code unit}: rows, changes) handled in
 * {@code elapsed}, with the conditions that produced it, and {@code extras}: numbers of the same run
 * printed after the rate (a ratio to a ceiling, CPU per 1M), which the multi-run summary also takes the
 * median of.
 */
public record CeilingFigure(
        String name, long count, String unit, Duration elapsed, String conditions, List<BenchFigure.Value> extras)
        implements BenchFigure {

    public CeilingFigure {
        extras = List.copyOf(extras);
    }

    public CeilingFigure(String name, long count, String unit, Duration elapsed, String conditions) {
        this(name, count, unit, elapsed, conditions, List.of());
    }

    public double perSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? Double.NaN : count / seconds;
    }

    @Override
    public List<Value> values() {
        List<Value> values = new ArrayList<>();
        values.add(new Value(unit + "/s", perSecond(), 0));
        values.addAll(extras);
        return values;
    }

    @Override
    public String warning() {
        return conditions.contains("SHORTFALL") || conditions.contains("MISMATCH") ? "shortfall or mismatch" : "";
    }

    /** One line for BENCHMARKS.md: name, rate, extras, N, elapsed, conditions. */
    @Override
    public String toString() {
        StringBuilder more = new StringBuilder();
        extras.forEach(e -> more.append("   ").append(e.format(e.value())));
        return String.format(
                Locale.ROOT,
                "%-44s %,12.0f %s/s%s   N=%,d   elapsed=%.2f s   (%s)",
                name,
                perSecond(),
                unit,
                more,
                count,
                elapsed.toNanos() / 1e9,
                conditions);
    }
}
