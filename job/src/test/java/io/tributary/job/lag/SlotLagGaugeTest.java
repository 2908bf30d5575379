package io.tributary.job.lag;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.postgres.PostgresSlotPositions;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.LinkedList;

/** One poll at a time, with readings handed in: what the slot gauge reports and feeds to the commit lag. */
class SlotLagGaugeTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long POLL = 15_000;

    private final LinkedList<Object> readings = new LinkedList<>(); // holds null: no slot
    private final long[] now = {NOW};
    private final CommitLag commitLag = new CommitLag(true);
    private final SlotLagGauge gauge = new SlotLagGauge(
            "slot",
            () -> {
                Object next = readings.removeFirst();
                if (next instanceof Exception) {
                    throw (Exception) next;
                }
                return (PostgresSlotPositions) next;
            },
            commitLag,
            () -> now[0]);

    @Test
    void reportsTheBytesTheSlotHoldsBackAndUnknownWhenTheDatabaseDoesNotAnswer() {
        assertThat(gauge.lagBytes()).as("before the first poll").isEqualTo(-1);
        readings.add(new PostgresSlotPositions(9_000, 9_000, true, 4_096));
        gauge.poll();
        assertThat(gauge.lagBytes()).isEqualTo(4_096);
        readings.add(new SQLException("connection refused"));
        gauge.poll();
        assertThat(gauge.lagBytes()).isEqualTo(-1);
        readings.add(new PostgresSlotPositions(9_500, 9_500, true, 512));
        gauge.poll();
        assertThat(gauge.lagBytes()).isEqualTo(512);
        readings.add(null); // the slot was dropped
        gauge.poll();
        assertThat(gauge.lagBytes()).isEqualTo(-1);
    }

    /** Each answered poll is a sample of the commit lag, taken at the time before the query. */
    @Test
    void feedsEachReadingToTheCommitLag() {
        assertThat(commitLag.millis(NOW)).isEqualTo(-1);
        readings.add(new PostgresSlotPositions(7_000, 7_000, true, 0));
        gauge.poll();
        assertThat(commitLag.millis(NOW)).isZero();
        // the job stops reading: the sent position stays while commits move the WAL
        for (int i = 1; i <= 3; i++) {
            now[0] = NOW + i * POLL;
            readings.add(new PostgresSlotPositions(7_000 + i * 100L, 7_000, true, i * 100L));
            gauge.poll();
        }
        assertThat(commitLag.millis(NOW + 3 * POLL)).isEqualTo(3 * POLL);
        readings.add(new SQLException("timeout"));
        gauge.poll();
        assertThat(commitLag.millis(NOW + 4 * POLL))
                .as("a failed poll samples nothing")
                .isEqualTo(4 * POLL);
        now[0] = NOW + 5 * POLL;
        readings.add(new PostgresSlotPositions(7_300, 7_300, true, 0));
        gauge.poll();
        assertThat(commitLag.millis(NOW + 5 * POLL)).isZero();
    }
}
