package io.tributary.harness.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of {@code --runs N}: every figure once, matched by name across runs, each of its numbers as
 * the median of its per-run values with the spread (min–max). A figure absent from some runs (a failed
 * step) says over how many runs its median is taken; a run whose figure had a warning is named.
 * Anything that is not a {@link BenchFigure} (a failure message) is listed with its run.
 */
final class BenchSummary {
    private BenchSummary() {}

    /** {@code runs.get(i)}: what run {@code i + 1} printed, in order. */
    static List<String> lines(List<List<Object>> runs) {
        int n = runs.size();
        Map<String, List<BenchFigure>> byName = new LinkedHashMap<>();
        Map<String, List<String>> warnings = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (Object o : runs.get(r)) {
                if (o instanceof BenchFigure) {
                    BenchFigure f = (BenchFigure) o;
                    byName.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f);
                    if (!f.warning().isEmpty()) {
                        warnings.computeIfAbsent(f.name(), k -> new ArrayList<>())
                                .add("run " + (r + 1) + ": " + f.warning());
                    }
                } else {
                    other.add("run " + (r + 1) + ": " + o);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        byName.forEach((name, figures) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-44s", name));
            String runsText =
                    figures.size() == n ? "median of " + n : "median of " + figures.size() + " of " + n + " runs";
            for (String unit : units(figures)) {
                line.append("   ").append(summarize(figures, unit, runsText));
            }
            if (warnings.containsKey(name)) {
                line.append("   [")
                        .append(String.join("; ", warnings.get(name)))
                        .append("]");
            }
            lines.add(line.toString());
        });
        lines.addAll(other);
        return lines;
    }

    /** {@code 24,010 changes/s  median of 3 (21,456–24,500)}, over the runs that measured it (not NaN). */
    private static String summarize(List<BenchFigure> figures, String unit, String runsText) {
        List<BenchFigure.Value> found = new ArrayList<>();
        for (BenchFigure f : figures) {
            f.values().stream()
                    .filter(v -> v.unit().equals(unit) && !Double.isNaN(v.value()))
                    .findFirst()
                    .ifPresent(found::add);
        }
        if (found.isEmpty()) {
            return "n/a " + unit;
        }
        double[] values =
                found.stream().mapToDouble(BenchFigure.Value::value).sorted().toArray();
        BenchFigure.Value shape = found.get(0);
        String over = found.size() == figures.size() ? runsText : runsText + ", " + found.size() + " measured";
        return String.format(
                Locale.ROOT,
                "%s  %s (%s–%s)",
                shape.format(median(values)),
                over,
                number(shape, values[0]),
                number(shape, values[values.length - 1]));
    }

    private static List<String> units(List<BenchFigure> figures) {
        List<String> units = new ArrayList<>();
        for (BenchFigure f : figures) {
            for (BenchFigure.Value v : f.values()) {
                if (!units.contains(v.unit())) {
                    units.add(v.unit());
                }
            }
        }
        return units;
    }

    /** The middle value of sorted {@code values}; for an even count the mean of the two middle ones. */
    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double[] s = Arrays.copyOf(sorted, sorted.length);
        Arrays.sort(s);
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    private static String number(BenchFigure.Value shape, double v) {
        return String.format(Locale.ROOT, "%,." + shape.decimals() + "f", v);
    }
}
