package io.tributary.postgres;

import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.data.SpecialValueDecimal;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.postgresql.PGStatement;
import org.postgresql.jdbc.PgArray;
import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;

/**
 * A Debezium {@link CustomConverter} (registered by {@link PostgresSources} through Debezium's
 * {@code converters} option) that hands numeric, date, timestamp, timestamptz and time columns to
 * {@link PostgresTypeMapper} as text, because Debezium's own converters lose or corrupt values
 * PostgreSQL stores in them:
 * <ul>
 *   <li>numeric NaN becomes NULL in the snapshot (pgjdbc gives {@code Double.NaN}, Debezium's decimal
 *       converter throws, and its {@code TableSchemaBuilder} logs the error and writes NULL) and
 *       {@code "NAN"} in the stream;</li>
 *   <li>date, timestamp and timestamptz {@code ±infinity} become far-away dates (pgjdbc's
 *       {@code PGStatement.DATE_POSITIVE_INFINITY} read as milliseconds, or Debezium's sentinels);</li>
 *   <li>snapshot dates and timestamps before 1582-10-15 are shifted to the Julian calendar (pgjdbc
 *       returns {@code java.sql.Date}/{@code Timestamp}) and lose their era (year 1 BC becomes 1 AD);</li>
 *   <li>time {@code 24:00:00} becomes 00:00:00 in the snapshot;</li>
 *   <li>bit and varbit become Debezium's {@code Bits} bytes, which lose a varbit's length; here they
 *       are PostgreSQL's text of 0s and 1s (bit(1) too, which Debezium makes a boolean);</li>
 *   <li>arrays of more than one dimension lose their elements in Debezium's array converter (inner
 *       arrays become NULLs, or the names of Java arrays for text); an array column declared with more
 *       than one dimension ({@code int[][]}, listed in {@link #TEXT_ARRAYS}) is carried as PostgreSQL's
 *       canonical array text instead ({@link PostgresArrayText}). Both paths hand it a pgjdbc
 *       {@code PgArray} that still holds every element.</li>
 * </ul>
 *
 * <p>The text is ISO-8601 ({@link LocalDate#toString()}: year 0 is 1 BC, years past 9999 carry a
 * {@code +}), {@code infinity}/{@code -infinity}, plain decimals or {@code NaN}/{@code Infinity}/
 * {@code -Infinity}, and time as {@code HH:mm:ss[.ffffff]} or {@code 24:00:00}. The schema parameter
 * {@link #KIND_PARAM} names the base type (or {@code bits}), so the mapper knows the string is this text.
 *
 * <p>What it cannot mend happens before it is called: pgjdbc throws on money from 1,000 up in the
 * snapshot, Debezium 1.9.8 throws on numeric {@code Infinity} in the stream (both are checked at start-up
 * by {@link PostgresValueLimits}), and the snapshot's {@code java.sql.Time} holds milliseconds only.
 * (pgjdbc 42.7.4 and later give numeric {@code ±Infinity} in the snapshot as a double, carried here.)
 */
public final class PostgresTextValueConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {
    /** Schema parameter naming the base type of a column this converter carries: numeric, date, timestamp, timestamptz, time. */
    public static final String KIND_PARAM = "tributary.text.kind";
    /**
     * Converter option: the array columns declared with more than one dimension, {@code schema.table.column}
     * separated by newlines, carried as PostgreSQL's array text (kind {@code array}).
     */
    public static final String TEXT_ARRAYS = "text-arrays";

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private final Set<String> textArrays = new HashSet<>();

    @Override
    public void configure(Properties props) {
        String names = props.getProperty(TEXT_ARRAYS, "");
        Arrays.stream(names.split("\n")).filter(n -> !n.isEmpty()).forEach(textArrays::add);
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String kind = isTextArray(column) ? "array" : kindOf(column);
        if (kind != null) {
            registration.register(
                    SchemaBuilder.string().optional().parameter(KIND_PARAM, kind),
                    value -> value == null ? null : text(kind, value));
        }
    }

    /**
     * True for a column listed in {@link #TEXT_ARRAYS}. Debezium names the table {@code schema.table}, or with
     * the database in front when pgjdbc reports a catalog.
     */
    private boolean isTextArray(RelationalColumn column) {
        String name = column.dataCollection() + "." + column.name();
        return textArrays.stream().anyMatch(t -> name.equals(t) || name.endsWith("." + t));
    }

    /** The base type this converter takes over, or null: by name, and numeric also by JDBC type so domains over it count. */
    static String kindOf(RelationalColumn column) {
        return kindOf(column.typeName(), column.jdbcType());
    }

    /** {@link #kindOf(RelationalColumn)} by PostgreSQL type name and {@link Types JDBC type}, as a result set reports them. */
    static String kindOf(String typeName, int jdbcType) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        switch (name) {
            case "numeric":
            case "decimal":
                return "numeric";
            case "date":
            case "timestamp":
            case "timestamptz":
            case "time":
                return name;
            case "bit":
            case "varbit":
            case "bit varying":
                return "bits";
            default:
                return jdbcType == Types.NUMERIC && !name.startsWith("_") ? "numeric" : null;
        }
    }

    /** The canonical text of one value as the snapshot (pgjdbc objects) or the stream (Debezium's resolved values) gives it. */
    static String text(String kind, Object value) {
        if (value instanceof String) {
            return (String) value; // stream time text, the TOAST placeholder: already text
        }
        switch (kind) {
            case "numeric":
                return numeric(value);
            case "date":
                return date(value);
            case "timestamp":
                return timestamp(value, TimeZone.getDefault());
            case "timestamptz":
                return timestamptz(value);
            case "time":
                return time(value);
            case "bits":
                return bits(value);
            case "array":
                return array(value);
            default:
                return String.valueOf(value);
        }
    }

    /**
     * The snapshot and the stream both give a PgArray; anything else here is Debezium's marker for an unchanged
     * TOASTed value, which becomes the placeholder text {@link PostgresTypeMapper} turns into UNCHANGED_TOAST.
     */
    private static String array(Object value) {
        if (value instanceof PgArray) {
            return PostgresArrayText.canonical(value.toString());
        }
        return PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER;
    }

    private static String bits(Object value) {
        if (value instanceof Boolean) {
            return (Boolean) value ? "1" : "0"; // pgjdbc reads bit(1) as a boolean
        }
        if (value instanceof PGobject) {
            return ((PGobject) value).getValue();
        }
        return String.valueOf(value);
    }

    private static String numeric(Object value) {
        if (value instanceof SpecialValueDecimal) {
            SpecialValueDecimal d = (SpecialValueDecimal) value;
            return d.getDecimalValue().map(BigDecimal::toPlainString).orElseGet(() -> special(d.toDouble()));
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d)
                    ? special(d)
                    : new BigDecimal(value.toString()).toPlainString();
        }
        return new BigDecimal(value.toString()).toPlainString();
    }

    private static String special(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    private static String date(Object value) {
        if (value instanceof Date) {
            String infinity = infinity(((Date) value).getTime());
            return infinity != null
                    ? infinity
                    : fields((Date) value, TimeZone.getDefault()).toLocalDate().toString();
        }
        if (value instanceof LocalDate) {
            LocalDate d = (LocalDate) value;
            if (d.equals(PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE)) {
                return "infinity";
            }
            if (d.equals(PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE)) {
                return "-infinity";
            }
            return d.toString();
        }
        return String.valueOf(value);
    }

    private static String timestamp(Object value, TimeZone zone) {
        if (value instanceof Date) {
            String infinity = infinity(((Date) value).getTime());
            return infinity != null ? infinity : fields((Date) value, zone).toString();
        }
        if (value instanceof Instant) {
            Instant i = (Instant) value;
            if (i.equals(PostgresValueConverter.POSITIVE_INFINITY_INSTANT)) {
                return "infinity";
            }
            if (i.equals(PostgresValueConverter.NEGATIVE_INFINITY_INSTANT)) {
                return "-infinity";
            }
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC).toString();
        }
        if (value instanceof LocalDateTime) {
            return value.toString();
        }
        return String.valueOf(value);
    }

    private static String timestamptz(Object value) {
        if (value instanceof OffsetDateTime) {
            OffsetDateTime t = (OffsetDateTime) value;
            if (t.equals(PostgresValueConverter.POSITIVE_INFINITY_OFFSET_DATE_TIME)) {
                return "infinity";
            }
            if (t.equals(PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME)) {
                return "-infinity";
            }
            return t.toInstant().toString();
        }
        String local = timestamp(value, UTC);
        return local.endsWith("infinity") ? local : local + "Z";
    }

    private static String time(Object value) {
        if (value instanceof Date) {
            LocalDateTime t = fields((Date) value, TimeZone.getDefault());
            // pgjdbc reads 24:00:00 as midnight of the next day
            return t.toLocalDate().isAfter(LocalDate.of(1970, 1, 1))
                            && t.toLocalTime().equals(LocalTime.MIDNIGHT)
                    ? "24:00:00"
                    : t.toLocalTime().toString();
        }
        if (value instanceof LocalTime) {
            return value.toString();
        }
        return String.valueOf(value);
    }

    /**
     * The calendar fields pgjdbc parsed PostgreSQL's text into: the same labels PostgreSQL printed
     * (its calendar is proleptic Gregorian; pgjdbc's is Julian before 1582, but the labels are kept),
     * with the era turned into an ISO year (1 BC is year 0).
     */
    private static LocalDateTime fields(Date date, TimeZone zone) {
        GregorianCalendar c = new GregorianCalendar(zone, Locale.ROOT);
        c.setTime(date);
        int year = c.get(Calendar.YEAR);
        if (c.get(Calendar.ERA) == GregorianCalendar.BC) {
            year = 1 - year;
        }
        int nanos = date instanceof Timestamp ? ((Timestamp) date).getNanos() : c.get(Calendar.MILLISECOND) * 1_000_000;
        return LocalDateTime.of(
                year,
                c.get(Calendar.MONTH) + 1,
                c.get(Calendar.DAY_OF_MONTH),
                c.get(Calendar.HOUR_OF_DAY),
                c.get(Calendar.MINUTE),
                c.get(Calendar.SECOND),
                nanos);
    }

    /** pgjdbc's millisecond sentinels for ±infinity. */
    private static String infinity(long millis) {
        if (millis == PGStatement.DATE_POSITIVE_INFINITY || millis == PGStatement.DATE_POSITIVE_SMALLER_INFINITY) {
            return "infinity";
        }
        if (millis == PGStatement.DATE_NEGATIVE_INFINITY || millis == PGStatement.DATE_NEGATIVE_SMALLER_INFINITY) {
            return "-infinity";
        }
        return null;
    }
}
