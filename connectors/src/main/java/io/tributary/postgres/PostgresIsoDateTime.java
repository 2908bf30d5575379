package io.tributary.postgres;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * {@link LocalDateTime#parse} for the text {@link PostgresTextValueConverter} writes for every timestamp
 * and timestamptz value, without the formatter: {@code yyyy-MM-ddTHH:mm[:ss[.f…]]} (what
 * {@code LocalDateTime.toString} and {@code Instant.toString} print for years 0000–9999) is read by digit
 * position, which profiles showed at about a microsecond less per value. Anything else (a signed or
 * five-digit year, a field out of range) goes to {@code LocalDateTime.parse}, so the result and the
 * exception for bad text are exactly the formatter's.
 */
final class PostgresIsoDateTime {
    private PostgresIsoDateTime() {}

    /** {@code text[0, end)} as a LocalDateTime. */
    static LocalDateTime parse(String text, int end) {
        LocalDateTime fast = fast(text, end);
        return fast != null ? fast : LocalDateTime.parse(end == text.length() ? text : text.substring(0, end));
    }

    private static LocalDateTime fast(String s, int end) {
        if (end < 16 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = 0;
        int nano = 0;
        if (end > 16) {
            if (end < 19 || s.charAt(16) != ':') {
                return null;
            }
            second = digits(s, 17, 2);
            if (end > 19) {
                int fraction = end - 20;
                if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                    return null;
                }
                nano = digits(s, 20, fraction);
                for (int i = fraction; i < 9; i++) {
                    nano *= 10;
                }
            }
        }
        if ((year | month | day | hour | minute | second | nano) < 0) {
            return null; // a non-digit
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano);
        } catch (DateTimeException e) {
            return null; // out of range: the formatter says why
        }
    }

    /** The value of {@code count} decimal digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
