package io.tributary.harness.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * One measured ceiling: {@code count} items ({@code unit}: rows, changes) handled in
 * {@code elapsed}, with the conditions that produced it.
 */
public record CeilingFigure(String name, long count, String unit, Duration elapsed, String conditions) {
    public double perSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? Double.NaN : count / seconds;
    }

    /** One line for BENCHMARKS.md: name, rate, N, elapsed, conditions. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%-44s %,12.0f %s/s   N=%,d   elapsed=%.2f s   (%s)",
                name, perSecond(), unit, count, elapsed.toNanos() / 1e9, conditions);
    }
}
