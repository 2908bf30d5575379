package io.tributary.harness.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** A latency distribution in milliseconds: p50, p99, max over the samples, with conditions. */
record LatencyFigure(String name, List<Long> millis, long missing, String conditions) implements BenchFigure {
    long percentile(double p) {
        if (millis.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    @Override
    public List<Value> values() {
        return List.of(
                new Value("ms p50", millis.isEmpty() ? Double.NaN : percentile(50), 0),
                new Value("ms p99", millis.isEmpty() ? Double.NaN : percentile(99), 0),
                new Value("ms max", millis.isEmpty() ? Double.NaN : percentile(100), 0));
    }

    @Override
    public String warning() {
        return missing > 0 ? "MISSING=" + missing : millis.isEmpty() ? "no samples" : "";
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%-44s p50=%,d ms  p99=%,d ms  max=%,d ms   samples=%d%s   (%s)",
                name,
                percentile(50),
                percentile(99),
                percentile(100),
                millis.size(),
                missing > 0 ? "  MISSING=" + missing : "",
                conditions);
    }
}
