package io.tributary.harness.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Pseudo-random column values in PostgreSQL's text input form, so the same string feeds both
 * COPY (seeding) and {@code ?::type} parameters (traffic). Values include the awkward cases a
 * legacy database holds: quotes and non-ASCII in JSON and text, nulls, negative and very long
 * unconstrained numerics, non-UTC offsets.
 */
public final class DemoValues {
    private static final DateTimeFormatter TIMESTAMPTZ = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final long EPOCH_2015 = Instant.parse("2015-01-01T00:00:00Z").getEpochSecond();
    private static final long TEN_YEARS_SECONDS = 10L * 365 * 24 * 3600;
    private static final ZoneOffset[] OFFSETS = {
        ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-5, -30), ZoneOffset.ofHours(9)
    };
    private static final String[] FIRST = {"Ada", "Grace", "Linus", "Zoë", "José", "Ming", "O'Neil", "Kai"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Torvalds", "Müller", "García", "Li", "Smith"};
    private static final String[] WORDS = {
        "bolt", "widget", "gear", "spring", "valve", "washer", "sprocket", "hinge", "clamp", "lever"
    };
    private static final String[] TAGS = {"vip", "new", "gift wrap", "b2b", "late,payer", "newsletter"};
    private static final String[] STATUSES = {"pending", "paid", "shipped", "delivered", "cancelled"};
    private static final char[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DemoValues() {}

    public static String bigint(SplittableRandom r, long bound) {
        return Long.toString(1 + r.nextLong(bound));
    }

    public static String integer(SplittableRandom r, int origin, int bound) {
        return Integer.toString(r.nextInt(origin, bound));
    }

    public static String bool(SplittableRandom r) {
        return r.nextBoolean() ? "true" : "false";
    }

    /** numeric(12,2): up to 10 integer digits and exactly two decimals. */
    public static String money(SplittableRandom r) {
        long cents = r.nextLong(100_000_000L);
        long c = cents % 100;
        return (cents / 100) + (c < 10 ? ".0" : ".") + c;
    }

    /** Unconstrained numeric: any scale 0..20, sometimes 25 integer digits, sometimes negative. */
    public static String anyNumeric(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(48);
        if (r.nextInt(5) == 0) {
            sb.append('-');
        }
        int intDigits = r.nextInt(10) == 0 ? 25 : 1 + r.nextInt(6);
        sb.append(1 + r.nextInt(9));
        for (int i = 1; i < intDigits; i++) {
            sb.append(r.nextInt(10));
        }
        int scale = r.nextInt(21);
        if (scale > 0) {
            sb.append('.');
            for (int i = 0; i < scale; i++) {
                sb.append(r.nextInt(10));
            }
        }
        return sb.toString();
    }

    public static String float8(SplittableRandom r) {
        return Double.toString(r.nextInt(8) == 0 ? r.nextDouble() * 1e-7 : r.nextDouble() * 1000);
    }

    public static String timestamptz(SplittableRandom r) {
        Instant at = Instant.ofEpochSecond(EPOCH_2015 + r.nextLong(TEN_YEARS_SECONDS), r.nextInt(1_000_000) * 1000L);
        return TIMESTAMPTZ.format(at.atOffset(OFFSETS[r.nextInt(OFFSETS.length)]));
    }

    public static String timestamp(SplittableRandom r) {
        return TIMESTAMP.format(LocalDateTime.ofEpochSecond(
                EPOCH_2015 + r.nextLong(TEN_YEARS_SECONDS), r.nextInt(1_000_000) * 1000, ZoneOffset.UTC));
    }

    public static String date(SplittableRandom r) {
        return LocalDate.ofEpochDay(LocalDate.of(1940, 1, 1).toEpochDay() + r.nextInt(30_000))
                .toString();
    }

    public static String uuid(SplittableRandom r) {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    public static String personName(SplittableRandom r) {
        return FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
    }

    public static String email(SplittableRandom r) {
        return "user" + r.nextInt(1_000_000) + "@example." + (r.nextBoolean() ? "com" : "org");
    }

    public static String word(SplittableRandom r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    public static String status(SplittableRandom r) {
        return STATUSES[r.nextInt(STATUSES.length)];
    }

    public static String sku(SplittableRandom r) {
        return "SKU-"
                + Long.toString(r.nextLong(36L * 36 * 36 * 36 * 36 * 36), 36).toUpperCase();
    }

    /** A JSON object with nesting, an escaped quote and non-ASCII text. */
    public static String json(SplittableRandom r) {
        return "{\"tier\": \"" + (r.nextBoolean() ? "gold" : "silver") + "\", \"score\": " + r.nextInt(1000)
                + ", \"note\": \"says \\\"hi\\\" – ok\", \"nested\": {\"ids\": [" + r.nextInt(100) + ", "
                + r.nextInt(100) + "], \"flag\": " + r.nextBoolean() + "}}";
    }

    /** bytea in hex input form. */
    public static String bytes(SplittableRandom r) {
        int n = 8 + r.nextInt(57);
        StringBuilder sb = new StringBuilder(2 + 2 * n).append("\\x");
        for (int i = 0; i < n; i++) {
            int b = r.nextInt(256);
            sb.append(HEX[b >>> 4]).append(HEX[b & 15]);
        }
        return sb.toString();
    }

    /** text[] literal; elements quoted because some hold spaces and commas. */
    public static String textArray(SplittableRandom r) {
        int n = r.nextInt(4);
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(TAGS[r.nextInt(TAGS.length)])
                    .append('"');
        }
        return sb.append('}').toString();
    }

    public static String intArray(SplittableRandom r) {
        int n = 1 + r.nextInt(5);
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(r.nextInt(-10, 100));
        }
        return sb.append('}').toString();
    }

    /**
     * Text of 9,000 to 12,000 characters: above the 8 kB page, and with STORAGE EXTERNAL stored
     * uncompressed out of line, so updates that do not touch it arrive as "unchanged TOAST".
     */
    public static String largeText(SplittableRandom r) {
        int n = 9_000 + r.nextInt(3_001);
        char[] chars = new char[n];
        for (int i = 0; i < n; ) {
            long bits = r.nextLong();
            for (int j = 0; j < 8 && i < n; j++, i++, bits >>>= 8) {
                chars[i] = ALPHABET[(int) ((bits & 0xFF) % ALPHABET.length)];
            }
        }
        return new String(chars);
    }

    /**
     * A value of PostgreSQL type {@code type} that PostgreSQL stores but a Java class cannot hold,
     * or null if the type has none: numeric NaN (a constrained numeric takes no infinity; a streamed
     * unconstrained numeric ±Infinity stops Debezium 1.9.8's decoder, see docs/formats/README.md), float
     * ±Infinity and NaN, timestamp and date ±infinity, dates before year 1.
     */
    public static String odd(String type, SplittableRandom r) {
        switch (type) {
            case "numeric":
                return "NaN";
            case "double precision":
                return pick(r, "NaN", "Infinity", "-Infinity");
            case "numeric(12,2)":
                return "NaN";
            case "timestamptz":
            case "timestamp":
                return pick(r, "infinity", "-infinity");
            case "date":
                return pick(r, "infinity", "-infinity", "0044-03-15 BC");
            default:
                return null;
        }
    }

    private static String pick(SplittableRandom r, String... values) {
        return values[r.nextInt(values.length)];
    }

    /** Null with probability 1/{@code oneIn}, else the value. */
    public static String orNull(SplittableRandom r, int oneIn, String value) {
        return r.nextInt(oneIn) == 0 ? null : value;
    }
}
