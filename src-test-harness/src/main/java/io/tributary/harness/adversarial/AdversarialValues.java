package io.tributary.harness.adversarial;

import io.tributary.harness.demo.DemoValues;

import java.util.SplittableRandom;

/**
 * Values for the adversarial workload in PostgreSQL's text input form, with a share of the values
 * PostgreSQL stores but a Java class cannot hold. A constrained {@code numeric(10,2)} takes
 * {@code NaN} but not {@code ±Infinity} (PostgreSQL 15: "numeric field overflow"). The unconstrained
 * {@code numeric} column gets its infinities only in the seed (read by the snapshot): a streamed numeric
 * {@code ±Infinity} stops Debezium 1.9.8's pgoutput decoder before any converter runs, a library limit
 * the start-up check warns about (docs/formats/README.md, "Values the libraries stop").
 */
public final class AdversarialValues {
    /** Characters of the TOASTed bodies: random over 64 symbols, which pglz cannot compress. */
    private static final char[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .".toCharArray();
    /** Small bodies: above the 2 kB TOAST threshold, stored out of line. */
    public static final int SMALL_BODY = 3_000;

    private static final String[] NUMERIC_SPECIAL = {"NaN"};
    private static final String[] FLOAT_SPECIAL = {"NaN", "Infinity", "-Infinity"};
    private static final String[] TIMESTAMP_SPECIAL = {"infinity", "-infinity"};
    private static final String[] DATE_SPECIAL = {"infinity", "-infinity", "0044-03-15 BC", "4713-01-01 BC"};
    private static final String[] NOTES = {"plain", "it's", "say \"hi\"", "back\\slash", "tab\there", "Zoë – ok", ""};

    private AdversarialValues() {}

    /**
     * Values of {@code adv_items} columns n, nu, f, ts, d, t; each one odd with probability
     * {@code oddPercent}/100.
     */
    public static String[] itemValues(SplittableRandom r, int oddPercent) {
        return new String[] {
            odd(r, oddPercent) ? "NaN" : money(r),
            odd(r, oddPercent) ? pick(r, NUMERIC_SPECIAL) : DemoValues.anyNumeric(r),
            odd(r, oddPercent) ? pick(r, FLOAT_SPECIAL) : DemoValues.float8(r),
            odd(r, oddPercent) ? pick(r, TIMESTAMP_SPECIAL) : DemoValues.timestamptz(r),
            odd(r, oddPercent) ? pick(r, DATE_SPECIAL) : DemoValues.date(r),
            odd(r, oddPercent) ? "24:00:00" : time(r),
        };
    }

    /** numeric(10,2) within range: up to 7 integer digits. */
    public static String money(SplittableRandom r) {
        long cents = r.nextLong(1_000_000_000L);
        return (r.nextInt(6) == 0 ? "-" : "") + cents / 100 + "." + (cents % 100 < 10 ? "0" : "") + cents % 100;
    }

    public static String time(SplittableRandom r) {
        int s = r.nextInt(86_400);
        return String.format("%02d:%02d:%02d.%06d", s / 3600, s / 60 % 60, s % 60, r.nextInt(1_000_000));
    }

    /** Short text with quotes, backslashes, tabs and non-ASCII; null one time in eight. */
    public static String note(SplittableRandom r) {
        return r.nextInt(8) == 0 ? null : pick(r, NOTES) + " " + r.nextInt(1000);
    }

    /** {@code length} random characters that compression cannot shrink. */
    public static String randomText(SplittableRandom r, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; ) {
            long bits = r.nextLong();
            for (int j = 0; j < 10 && i < length; j++, i++, bits >>>= 6) {
                chars[i] = ALPHABET[(int) (bits & 63)];
            }
        }
        return new String(chars);
    }

    static boolean odd(SplittableRandom r, int oddPercent) {
        return oddPercent > 0 && r.nextInt(100) < oddPercent;
    }

    static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}
