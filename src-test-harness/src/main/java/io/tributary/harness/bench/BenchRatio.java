package io.tributary.harness.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A number computed from other figures of the same run (a rate over its ceiling, a share saved), printed
 * as {@code name  value unit   (description)}. Each run computes its own, so the summary's median is the
 * median of the per-run ratios, never a ratio of medians.
 */
record BenchRatio(String name, double value, String unit, int decimals, String description) implements BenchFigure {
    @Override
    public List<Value> values() {
        return List.of(new Value(unit, value, decimals));
    }

    /**
     * {@code numerator}'s rate over {@code denominator}'s, both looked up by name among {@code figures};
     * empty when either is missing (a ceiling tool not installed, a failed step).
     */
    static Optional<BenchRatio> of(
            List<?> figures, String name, String numerator, String denominator, String unit, String description) {
        Optional<CeilingFigure> top = find(figures, numerator);
        Optional<CeilingFigure> bottom = find(figures, denominator);
        if (top.isEmpty() || bottom.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new BenchRatio(name, top.get().perSecond() / bottom.get().perSecond(), unit, 2, description));
    }

    @Override
    public String warning() {
        return description.contains("SHORTFALL") ? "shortfall" : "";
    }

    static Optional<CeilingFigure> find(List<?> figures, String name) {
        return figures.stream()
                .filter(CeilingFigure.class::isInstance)
                .map(CeilingFigure.class::cast)
                .filter(f -> f.name().equals(name))
                .findFirst();
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "%-44s %12s   (%s)", name, values().get(0).format(value), description);
    }
}
