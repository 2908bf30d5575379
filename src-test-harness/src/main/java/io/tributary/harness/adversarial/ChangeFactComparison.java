package io.tributary.harness.adversarial;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A destination's changes against the decoded ones, event by event: which decoded changes are
 * missing, which recorded ones the database never made (or that appear more often than decoded),
 * and, for rows whose changes all arrived, whether they are in the decoded order. The report names
 * each differing event with where it was found.
 */
public final class ChangeFactComparison {
    private static final int SHOWN = 15;

    private final String destination;
    private final List<ChangeFact> missing = new ArrayList<>();
    private final List<ChangeFact> unexpected = new ArrayList<>();
    private final List<String> outOfOrder = new ArrayList<>();
    private final int expectedCount;
    private final int observedCount;

    private ChangeFactComparison(String destination, int expectedCount, int observedCount) {
        this.destination = destination;
        this.expectedCount = expectedCount;
        this.observedCount = observedCount;
    }

    /**
     * Compares {@code observed} (in the destination's order: the log's position order, a shard's
     * arrival order) with {@code expected} (decoded order).
     */
    public static ChangeFactComparison compare(
            String destination, List<ChangeFact> expected, List<ChangeFact> observed) {
        ChangeFactComparison c = new ChangeFactComparison(destination, expected.size(), observed.size());
        Map<ChangeFact.Identity, List<ChangeFact>> left = new LinkedHashMap<>();
        for (ChangeFact f : observed) {
            left.computeIfAbsent(f.identity(), k -> new ArrayList<>()).add(f);
        }
        for (ChangeFact f : expected) {
            List<ChangeFact> same = left.get(f.identity());
            if (same == null || same.isEmpty()) {
                c.missing.add(f);
            } else {
                same.remove(0);
            }
        }
        left.values().forEach(c.unexpected::addAll);
        Map<ChangeFact.Row, List<ChangeFact>> wanted = perRow(expected);
        Map<ChangeFact.Row, List<ChangeFact>> got = perRow(observed);
        for (Map.Entry<ChangeFact.Row, List<ChangeFact>> row : wanted.entrySet()) {
            List<ChangeFact.Identity> w = identities(row.getValue());
            List<ChangeFact.Identity> g = identities(got.getOrDefault(row.getKey(), List.of()));
            if (!w.equals(g) && counts(w).equals(counts(g))) {
                c.outOfOrder.add(row.getKey() + ": decoded " + ops(row.getValue()) + ", " + destination + " "
                        + ops(got.get(row.getKey())));
            }
        }
        return c;
    }

    /** Every decoded change is there (more may be). */
    public boolean complete() {
        return missing.isEmpty();
    }

    /** Same changes, same per-row order. */
    public boolean matches() {
        return missing.isEmpty() && unexpected.isEmpty() && outOfOrder.isEmpty();
    }

    public List<ChangeFact> missing() {
        return missing;
    }

    public List<ChangeFact> unexpected() {
        return unexpected;
    }

    public List<String> outOfOrder() {
        return outOfOrder;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(destination + " vs test_decoding: " + expectedCount + " decoded, "
                + observedCount + " in " + destination + "; " + missing.size() + " missing, " + unexpected.size()
                + " not decoded (or more often), " + outOfOrder.size() + " rows out of decoded order");
        section(s, "missing from " + destination, missing);
        section(s, "in " + destination + " but not decoded", unexpected);
        section(s, "rows out of order", outOfOrder);
        return s.toString();
    }

    private static void section(StringBuilder s, String title, List<?> items) {
        if (items.isEmpty()) {
            return;
        }
        s.append("\n  ").append(title).append(':');
        items.stream().limit(SHOWN).forEach(i -> s.append("\n    ").append(i));
        if (items.size() > SHOWN) {
            s.append("\n    … ").append(items.size() - SHOWN).append(" more");
        }
    }

    private static Map<ChangeFact.Row, List<ChangeFact>> perRow(List<ChangeFact> facts) {
        Map<ChangeFact.Row, List<ChangeFact>> out = new LinkedHashMap<>();
        for (ChangeFact f : facts) {
            out.computeIfAbsent(f.row(), k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    private static List<ChangeFact.Identity> identities(List<ChangeFact> facts) {
        return facts.stream().map(ChangeFact::identity).collect(Collectors.toList());
    }

    private static Map<ChangeFact.Identity, Integer> counts(List<ChangeFact.Identity> ids) {
        Map<ChangeFact.Identity, Integer> m = new HashMap<>();
        ids.forEach(i -> m.merge(i, 1, Integer::sum));
        return m;
    }

    private static String ops(List<ChangeFact> facts) {
        String all = facts.stream().map(f -> f.op() + " tx " + f.txId()).collect(Collectors.joining(", ", "[", "]"));
        return all.length() <= 300 ? all : all.substring(0, 297) + "…]";
    }
}
