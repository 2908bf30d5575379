package io.tributary.harness.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Thread CPU per timestamptz text value (as PostgresTextValueConverter writes it, e.g.
 * {@code 2024-05-01T12:00:00.123456Z}) read into a LocalDateTime: {@code LocalDateTime.parse}, as the
 * mapper did, against {@code PostgresIsoDateTime.parse} (called reflectively, which only adds to it).
 *
 * <p>{@code TimestampTextMicroBench [values per round, default 1000000] [rounds, default 12]}
 */
public final class TimestampTextMicroBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TimestampTextMicroBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Method fast = Class.forName("io.tributary.postgres.PostgresIsoDateTime")
                .getDeclaredMethod("parse", String.class, int.class);
        fast.setAccessible(true);
        SplittableRandom r = new SplittableRandom(7);
        String[] texts = new String[4096];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = Instant.ofEpochSecond(1_600_000_000L + r.nextLong(200_000_000L), r.nextInt(1_000_000) * 1000L)
                    .toString();
        }
        double[] old = new double[rounds];
        double[] now = new double[rounds];
        long sink = 0;
        for (int k = 0; k < rounds; k++) {
            long t = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                String s = texts[i & 4095];
                sink += LocalDateTime.parse(s.substring(0, s.length() - 1)).getNano();
            }
            old[k] = (THREADS.getCurrentThreadCpuTime() - t) / (double) n;
            t = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                String s = texts[i & 4095];
                sink += ((LocalDateTime) fast.invoke(null, s, s.length() - 1)).getNano();
            }
            now[k] = (THREADS.getCurrentThreadCpuTime() - t) / (double) n;
        }
        System.out.println(line("LocalDateTime.parse", old, rounds) + "  [" + sink % 10 + "]");
        System.out.println(line("PostgresIsoDateTime.parse", now, rounds));
    }

    private static String line(String name, double[] ns, int rounds) {
        double[] m = Arrays.copyOfRange(ns, rounds / 3, rounds);
        Arrays.sort(m);
        return String.format(
                Locale.ROOT,
                "%-26s median %.0f ns/value   min %.0f   max %.0f   (%d rounds, thread CPU)",
                name,
                m[m.length / 2],
                m[0],
                m[m.length - 1],
                m.length);
    }
}
