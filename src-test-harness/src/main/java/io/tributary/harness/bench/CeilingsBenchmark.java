package io.tributary.harness.bench;

import io.tributary.harness.standin.PostgresStandIn;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints the ceilings for BENCHMARKS.md. Arguments (all optional):
 * {@code --changes N} (default 1000000) changes per slot-drain figure,
 * {@code --copy-rows N} (default 1000000) rows for the COPY figure,
 * {@code --only drain|copy}. Each figure takes well under two minutes on 2 cores at the defaults.
 */
public final class CeilingsBenchmark {
    private CeilingsBenchmark() {}

    public static void main(String[] args) throws Exception {
        long changes = 1_000_000;
        long copyRows = 1_000_000;
        String only = "all";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--changes" -> changes = Long.parseLong(value(args, ++i));
                case "--copy-rows" -> copyRows = Long.parseLong(value(args, ++i));
                case "--only" -> only = value(args, ++i);
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument " + args[i] + "; use --changes N, --copy-rows N, --only drain|copy");
            }
        }
        List<CeilingFigure> figures = new ArrayList<>();
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            System.out.printf(
                    "PostgreSQL stand-in on port %d, %d cores%n",
                    pg.port(), Runtime.getRuntime().availableProcessors());
            if (!only.equals("copy")) {
                for (int perTxn : new int[] {1, 100}) {
                    report(figures, Ceilings.slotDrainRate(pg, changes, perTxn));
                }
            }
            if (!only.equals("drain")) {
                report(figures, Ceilings.copyRate(pg, copyRows));
            }
        }
        System.out.println();
        System.out.println("Summary");
        figures.forEach(System.out::println);
    }

    private static void report(List<CeilingFigure> all, List<CeilingFigure> figures) {
        figures.forEach(System.out::println);
        all.addAll(figures);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
