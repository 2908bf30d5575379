package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.data.SpecialValueDecimal;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;
import org.postgresql.jdbc.PgArray;
import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TimeZone;

/** The text the converter makes of what pgjdbc (snapshot) and Debezium's pgoutput decoder (stream) give it. */
class PostgresTextValueConverterTest {
    @Test
    void numericSpecialsFromBothPaths() {
        assertThat(PostgresTextValueConverter.text("numeric", Double.NaN)).isEqualTo("NaN");
        assertThat(PostgresTextValueConverter.text("numeric", Double.NEGATIVE_INFINITY))
                .isEqualTo("-Infinity");
        // pgjdbc 42.7.4 and later: the snapshot's getObject gives numeric Infinity as a double
        assertThat(PostgresTextValueConverter.text("numeric", Double.POSITIVE_INFINITY))
                .isEqualTo("Infinity");
        assertThat(PostgresTextValueConverter.text("numeric", SpecialValueDecimal.NOT_A_NUMBER))
                .isEqualTo("NaN");
        assertThat(PostgresTextValueConverter.text("numeric", SpecialValueDecimal.POSITIVE_INF))
                .isEqualTo("Infinity");
        assertThat(PostgresTextValueConverter.text("numeric", new SpecialValueDecimal(new BigDecimal("1E+3"))))
                .isEqualTo("1000");
        assertThat(PostgresTextValueConverter.text("numeric", new BigDecimal("-0.50")))
                .isEqualTo("-0.50");
    }

    @Test
    void snapshotDatesKeepEraAndLabelsAndInfinity() {
        // pgjdbc builds java.sql.Date from PostgreSQL's labels in a (Julian before 1582) GregorianCalendar
        GregorianCalendar bc = new GregorianCalendar(TimeZone.getDefault());
        bc.clear();
        bc.set(GregorianCalendar.ERA, GregorianCalendar.BC);
        bc.set(44, GregorianCalendar.MARCH, 15);
        assertThat(PostgresTextValueConverter.text("date", new Date(bc.getTimeInMillis())))
                .isEqualTo("-0043-03-15");
        GregorianCalendar old = new GregorianCalendar(TimeZone.getDefault());
        old.clear();
        old.set(1500, GregorianCalendar.MARCH, 1);
        assertThat(PostgresTextValueConverter.text("date", new Date(old.getTimeInMillis())))
                .isEqualTo("1500-03-01");
        assertThat(PostgresTextValueConverter.text("date", new Date(PGStatement.DATE_POSITIVE_INFINITY)))
                .isEqualTo("infinity");
        assertThat(PostgresTextValueConverter.text("timestamp", new Timestamp(PGStatement.DATE_NEGATIVE_INFINITY)))
                .isEqualTo("-infinity");
        assertThat(PostgresTextValueConverter.text("timestamptz", new Timestamp(PGStatement.DATE_POSITIVE_INFINITY)))
                .isEqualTo("infinity");
        Timestamp micros = Timestamp.from(Instant.parse("2024-01-01T08:00:00.123456Z"));
        assertThat(PostgresTextValueConverter.text("timestamptz", micros)).isEqualTo("2024-01-01T08:00:00.123456Z");
    }

    @Test
    void streamSentinelsBecomeInfinity() {
        assertThat(PostgresTextValueConverter.text("date", PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE))
                .isEqualTo("-infinity");
        assertThat(PostgresTextValueConverter.text("date", LocalDate.of(0, 1, 1)))
                .isEqualTo("0000-01-01");
        assertThat(PostgresTextValueConverter.text("timestamp", PostgresValueConverter.POSITIVE_INFINITY_INSTANT))
                .isEqualTo("infinity");
        assertThat(PostgresTextValueConverter.text(
                        "timestamptz", PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME))
                .isEqualTo("-infinity");
        assertThat(PostgresTextValueConverter.text(
                        "timestamptz", OffsetDateTime.of(12_000, 6, 1, 10, 0, 0, 500_000_000, ZoneOffset.UTC)))
                .isEqualTo("+12000-06-01T10:00:00.500Z");
        assertThat(PostgresTextValueConverter.text("time", "24:00:00")).isEqualTo("24:00:00");
    }

    @Test
    void snapshotEndOfDayAndBits() throws Exception {
        GregorianCalendar nextDay = new GregorianCalendar(TimeZone.getDefault());
        nextDay.clear();
        nextDay.set(1970, GregorianCalendar.JANUARY, 2);
        assertThat(PostgresTextValueConverter.text("time", new Time(nextDay.getTimeInMillis())))
                .isEqualTo("24:00:00");
        assertThat(PostgresTextValueConverter.text("time", Time.valueOf("13:14:15")))
                .isEqualTo("13:14:15");
        PGobject bits = new PGobject();
        bits.setType("varbit");
        bits.setValue("0010");
        assertThat(PostgresTextValueConverter.text("bits", bits)).isEqualTo("0010");
        assertThat(PostgresTextValueConverter.text("bits", Boolean.TRUE)).isEqualTo("1");
    }

    @Test
    void declaredMultiDimensionalArraysBecomeTheirCanonicalText() throws Exception {
        PostgresTextValueConverter converter = new PostgresTextValueConverter();
        Properties props = new Properties();
        props.setProperty(PostgresTextValueConverter.TEXT_ARRAYS, "public.grid.cells\npublic.grid.words");
        converter.configure(props);
        Map<String, CustomConverter.Converter> registered = new HashMap<>();
        for (String name : new String[] {"cells", "words", "flat"}) {
            converter.converterFor(column("db.public.grid", name, "_int4"), (schema, c) -> {
                assertThat(schema.build().parameters()).containsEntry(PostgresTextValueConverter.KIND_PARAM, "array");
                registered.put(name, c);
            });
        }
        assertThat(registered).containsOnlyKeys("cells", "words");
        // binary results: pgjdbc prints every element quoted
        assertThat(registered.get("cells").convert(new PgArray(null, 1007, "{{\"1\",\"2\"},{\"3\",NULL}}")))
                .isEqualTo("{{1,2},{3,NULL}}");
        assertThat(registered.get("cells").convert(new Object()))
                .as("Debezium's unchanged-TOAST marker")
                .isEqualTo(PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER);
    }

    private static RelationalColumn column(String table, String name, String type) {
        return new RelationalColumn() {
            @Override
            public int jdbcType() {
                return Types.ARRAY;
            }

            @Override
            public int nativeType() {
                return 1007;
            }

            @Override
            public String typeName() {
                return type;
            }

            @Override
            public String typeExpression() {
                return type;
            }

            @Override
            public OptionalInt length() {
                return OptionalInt.empty();
            }

            @Override
            public OptionalInt scale() {
                return OptionalInt.empty();
            }

            @Override
            public boolean isOptional() {
                return true;
            }

            @Override
            public Object defaultValue() {
                return null;
            }

            @Override
            public boolean hasDefaultValue() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String dataCollection() {
                return table;
            }
        };
    }
}
