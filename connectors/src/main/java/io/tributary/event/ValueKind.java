package io.tributary.event;

/**
 * The logical kinds a column value can have, and the Java class that carries each in a {@link Row}.
 *
 * <p>A PostgreSQL type the mapper does not know is carried as {@link #STRING} holding the value's
 * text form, never dropped.
 */
public enum ValueKind {
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link Short} (smallint). */
    INT16,
    /** {@link Integer} (integer, serial). */
    INT32,
    /** {@link Long} (bigint, bigserial). */
    INT64,
    /** {@link Float} (real). */
    FLOAT32,
    /** {@link Double} (double precision). */
    FLOAT64,
    /** {@link java.math.BigDecimal} with the column's declared scale (numeric(p,s)). */
    DECIMAL,
    /** {@link String}: text, varchar, char, unconstrained numeric, unknown types. */
    STRING,
    /** {@link String} in canonical lower-case form. */
    UUID,
    /** {@link String} holding the JSON document (json, jsonb). */
    JSON,
    /** {@link java.time.LocalDate}. */
    DATE,
    /** {@link java.time.LocalTime}, microsecond precision. */
    TIME,
    /** {@link java.time.LocalDateTime}, microsecond precision (timestamp without time zone). */
    TIMESTAMP,
    /** {@link java.time.Instant}, microsecond precision (timestamptz, normalised to UTC). */
    TIMESTAMPTZ,
    /** {@code byte[]} (bytea). */
    BYTES,
    /** {@link java.util.List} of values of the element type, nulls allowed. */
    ARRAY
}
