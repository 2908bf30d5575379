package io.tributary.harness.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.Map;

class ProgressPrinterTest {
    private static final long SECOND = 1_000_000_000L;

    private static ProgressPrinter printer(Map<String, Long> totals) {
        return new ProgressPrinter(new PrintStream(PrintStream.nullOutputStream()), totals, 1_000);
    }

    private static ProgressSample sample(long rows, long restarts, String failure) {
        return new ProgressSample(Map.of("public.accounts", rows), Map.of(), -1, -1, restarts, failure);
    }

    @Test
    void tableOfUnknownSizeShowsRowsAndRateNotAPercentage() {
        ProgressPrinter printer = printer(Map.of());
        printer.render(sample(0, 0, null), 0);
        String block = printer.render(sample(39_315, 0, null), 2 * SECOND);

        assertThat(block)
                .contains("public.accounts")
                .contains("snapshot     39315 rows   19658/s")
                .doesNotContain("%")
                .doesNotContain("/0");
    }

    @Test
    void tableOfKnownSizeShowsItsPercentage() {
        ProgressPrinter printer = printer(Map.of("public.accounts", 100_000L));
        String block = printer.render(sample(25_000, 0, null), SECOND);

        assertThat(block).contains("25000/100000").contains("25.0%");
    }

    @Test
    void restartsAndTheLastFailureAreShown() {
        ProgressPrinter printer = printer(Map.of());
        String block = printer.render(sample(10, 3, "DynamoDB table accounts does not exist"), SECOND);

        assertThat(block).contains("restarts 3, last failure: DynamoDB table accounts does not exist");
    }

    @Test
    void aHealthyJobShowsNoFailureLine() {
        ProgressPrinter printer = printer(Map.of());
        assertThat(printer.render(sample(10, 0, null), SECOND))
                .doesNotContain("restarts")
                .doesNotContain("failure");
    }
}
