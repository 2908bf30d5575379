package io.tributary.postgres;

import io.tributary.event.SpecialValue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Parses the text {@link PostgresTextValueConverter} and Debezium give for numeric and temporal
 * columns into the event model's classes, or a {@link SpecialValue} where the class cannot hold
 * the value (NaN, ±Infinity, ±infinity, 24:00:00).
 *
 * <p>Dates are ISO-8601 as {@link LocalDate#parse} reads them: year 0 is 1 BC, years past 9999 carry
 * a sign. Debezium's stream spelling {@code NAN}, {@code POSITIVE_INFINITY}, {@code NEGATIVE_INFINITY}
 * (its {@code SpecialValueDecimal} names) is accepted too.
 */
final class PostgresTextValues {
    private PostgresTextValues() {}

    /** A numeric(p,s) value: a BigDecimal with scale {@code scale}, or NaN/±Infinity. */
    static Object decimal(String text, int scale) {
        SpecialValue special = numericSpecial(text);
        return special != null ? special : withScale(new BigDecimal(text), scale);
    }

    /** numeric(p,s) values already have scale s; setScale only adds trailing zeros, never rounds. */
    static BigDecimal withScale(BigDecimal d, int scale) {
        return d.scale() < scale ? d.setScale(scale) : d;
    }

    private static SpecialValue numericSpecial(String text) {
        switch (text) {
            case "NaN":
            case "NAN":
                return SpecialValue.NAN;
            case "Infinity":
            case "POSITIVE_INFINITY":
                return SpecialValue.POSITIVE_INFINITY;
            case "-Infinity":
            case "NEGATIVE_INFINITY":
                return SpecialValue.NEGATIVE_INFINITY;
            default:
                return null;
        }
    }

    static Object date(String text) {
        SpecialValue special = temporalSpecial(text);
        return special != null ? special : LocalDate.parse(text);
    }

    static Object timestamp(String text) {
        SpecialValue special = temporalSpecial(text);
        return special != null ? special : PostgresIsoDateTime.parse(text, text.length());
    }

    /** ISO-8601 UTC with Z (the converter's and Debezium's ZonedTimestamp form), or ±infinity. */
    static Object timestamptz(String text) {
        SpecialValue special = temporalSpecial(text);
        if (special != null) {
            return special;
        }
        if (text.endsWith("Z")) {
            return PostgresIsoDateTime.parse(text, text.length() - 1).toInstant(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    /** {@code HH:mm:ss[.ffffff]}, or 24:00:00, which LocalTime cannot hold. */
    static Object time(String text) {
        if (text.startsWith("24:")) {
            return SpecialValue.END_OF_DAY;
        }
        return LocalTime.parse(text);
    }

    private static SpecialValue temporalSpecial(String text) {
        switch (text) {
            case "infinity":
                return SpecialValue.POSITIVE_INFINITY;
            case "-infinity":
                return SpecialValue.NEGATIVE_INFINITY;
            default:
                return null;
        }
    }
}
