package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

/** The digit-position parser reads exactly what LocalDateTime.parse reads, and leaves the rest to it. */
class PostgresIsoDateTimeTest {

    @Test
    void readsEveryFormTheConverterWritesAsTheFormatterDoes() {
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            // years 0000..9999, and every precision LocalDateTime.toString and Instant.toString print
            long second = r.nextLong(-62_167_219_200L, 253_402_300_800L);
            int[] nanos = {0, r.nextInt(1000) * 1_000_000, r.nextInt(1_000_000) * 1000, r.nextInt(1_000_000_000), 0};
            int nano = nanos[i % 5];
            LocalDateTime t =
                    LocalDateTime.ofEpochSecond(i % 7 == 0 ? second - second % 60 : second, nano, ZoneOffset.UTC);
            String local = t.toString();
            assertThat(PostgresIsoDateTime.parse(local, local.length())).isEqualTo(LocalDateTime.parse(local));
            String instant = t.toInstant(ZoneOffset.UTC).toString();
            assertThat(PostgresIsoDateTime.parse(instant, instant.length() - 1).toInstant(ZoneOffset.UTC))
                    .isEqualTo(Instant.parse(instant));
        }
    }

    @Test
    void leavesSignedYearsAndBadTextToTheFormatter() {
        for (String text : List.of(
                "+10000-01-01T00:00", "-0001-12-31T23:59:59.5", "0000-01-01T00:00:00", "2024-01-01T00:00:00.")) {
            assertThat(PostgresIsoDateTime.parse(text, text.length())).isEqualTo(LocalDateTime.parse(text));
        }
        for (String bad : List.of(
                "2024-02-30T00:00",
                "2024-13-01T00:00",
                "2024-01-01T24:00",
                "2024-01-01T00:00:60",
                "2024-01-01T00:00:00.1234567890",
                "2024-01-01 00:00",
                "2024-01-0xT00:00",
                "2024-01-01T00:0",
                "2024-01-01T00:00:0")) {
            assertThatThrownBy(() -> PostgresIsoDateTime.parse(bad, bad.length()))
                    .as(bad)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }
}
