package io.tributary.event;

/**
 * A value PostgreSQL can store in a column whose {@link ValueKind}'s Java class cannot hold it:
 * numeric {@code NaN} and {@code ±Infinity} (a {@link java.math.BigDecimal} cannot), date and
 * timestamp {@code ±infinity} (a {@link java.time.LocalDate} or {@link java.time.Instant} has no
 * infinity), and {@code time '24:00:00'} (a {@link java.time.LocalTime} ends at 23:59:59.999999999).
 *
 * <p>A {@link Row} holds one of these in place of the value; every destination maps it by a
 * documented rule (docs/formats/README.md) instead of failing or writing a wrong value. Floats
 * (real, double precision) hold NaN and infinities themselves and never use this class.
 *
 * <p>The binary serializer writes the ordinal: append new constants, never reorder.
 */
public enum SpecialValue {
    /** numeric {@code 'NaN'}. */
    NAN("NaN", "NaN"),
    /** numeric {@code 'Infinity'}, date/timestamp/timestamptz {@code 'infinity'}. */
    POSITIVE_INFINITY("Infinity", "infinity"),
    /** numeric {@code '-Infinity'}, date/timestamp/timestamptz {@code '-infinity'}. */
    NEGATIVE_INFINITY("-Infinity", "-infinity"),
    /** time {@code '24:00:00'}. */
    END_OF_DAY("24:00:00", "24:00:00");

    private final String numericText;
    private final String temporalText;

    SpecialValue(String numericText, String temporalText) {
        this.numericText = numericText;
        this.temporalText = temporalText;
    }

    /** The value as PostgreSQL prints it in a column of {@code kind}: {@code Infinity} for numeric, {@code infinity} for dates. */
    public String postgresText(ValueKind kind) {
        return kind == ValueKind.DECIMAL ? numericText : temporalText;
    }

    /** The special value PostgreSQL prints as {@code text} in a column of {@code kind}, or null for any other text. */
    public static SpecialValue fromPostgresText(String text, ValueKind kind) {
        for (SpecialValue v : values()) {
            if (v.allowedIn(kind) && v.postgresText(kind).equals(text)) {
                return v;
            }
        }
        return null;
    }

    /** True if a column of {@code kind} may hold this value. */
    public boolean allowedIn(ValueKind kind) {
        switch (kind) {
            case DECIMAL:
                return this != END_OF_DAY;
            case DATE:
            case TIMESTAMP:
            case TIMESTAMPTZ:
                return this == POSITIVE_INFINITY || this == NEGATIVE_INFINITY;
            case TIME:
                return this == END_OF_DAY;
            default:
                return false;
        }
    }
}
