package io.tributary.job.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lag arithmetic on a fake clock: times are passed in, nothing waits. */
class CommitLagTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long POLL = 15_000;

    @Test
    void unknownBeforeAnythingIsKnown() {
        assertThat(new CommitLag(false).millis(NOW)).isEqualTo(-1);
        assertThat(new CommitLag(true).millis(NOW)).isEqualTo(-1);
    }

    @Test
    void arrivedChangeReportsItsDelayForOneWindowThenZero() {
        CommitLag lag = new CommitLag(false);
        lag.arrived((NOW - 5_000) * 1000, NOW);
        assertThat(lag.millis(NOW)).isEqualTo(5_000);
        assertThat(lag.millis(NOW + CommitLag.ARRIVAL_WINDOW_MILLIS - 1)).isEqualTo(5_000);
        assertThat(lag.millis(NOW + CommitLag.ARRIVAL_WINDOW_MILLIS)).isZero();
        lag.arrived((NOW + 100_000 - 20) * 1000, NOW + 100_000);
        assertThat(lag.millis(NOW + 100_000)).isEqualTo(20);
    }

    @Test
    void clockSkewNeverGivesANegativeLag() {
        CommitLag lag = new CommitLag(false);
        lag.arrived((NOW + 3_000) * 1000, NOW);
        assertThat(lag.millis(NOW)).isZero();
    }

    /** An idle database: the WAL does not move, the job has been sent all of it; the lag never exceeds one poll. */
    @Test
    void idleDatabaseStaysBelowOnePollInterval() {
        CommitLag lag = new CommitLag(true);
        lag.arrived((NOW - 30) * 1000, NOW);
        for (int i = 0; i < 240; i++) { // an idle hour
            long t = NOW + i * POLL;
            lag.polled(t, 5_000, 5_000);
            assertThat(lag.millis(t))
                    .isLessThan(CommitLag.ARRIVAL_WINDOW_MILLIS)
                    .isLessThanOrEqualTo(30);
            assertThat(lag.millis(t + POLL - 1)).isLessThan(POLL);
        }
    }

    /** WAL of tables the job does not capture: the walsender moves over it, so the sent position follows the WAL. */
    @Test
    void walOutsideThePublicationKeepsTheLagBelowOnePollInterval() {
        CommitLag lag = new CommitLag(true);
        long wal = 5_000;
        for (int i = 0; i < 240; i++) {
            long t = NOW + i * POLL;
            long sentBefore = wal; // sent up to the previous poll's WAL end; this poll's WAL moved on
            wal += 900;
            lag.polled(t, wal, sentBefore);
            assertThat(lag.millis(t)).isLessThanOrEqualTo(POLL);
            assertThat(lag.millis(t + POLL - 1)).isLessThan(2 * POLL);
        }
    }

    /** A job that stops reading while the database commits: the lag grows with the time it does not read. */
    @Test
    void stalledJobGrowsOneSecondPerSecond() {
        CommitLag lag = new CommitLag(true);
        lag.arrived((NOW - 40) * 1000, NOW);
        lag.polled(NOW, 7_000, 7_000);
        // from here the job reads nothing: the sent position stays at 7000 while commits move the WAL
        for (int i = 1; i <= 40; i++) {
            long t = NOW + i * POLL;
            lag.polled(t, 7_000 + i * 500L, 7_000);
            assertThat(lag.millis(t)).isEqualTo(i * POLL);
        }
        // it reads again and catches up to the WAL of the poll 20 intervals ago, then to the end
        long t = NOW + 41 * POLL;
        lag.polled(t, 30_000, 7_000 + 20 * 500L);
        assertThat(lag.millis(t)).isEqualTo(21 * POLL);
        lag.polled(t + POLL, 30_000, 30_000);
        assertThat(lag.millis(t + POLL)).isZero();
    }

    /**
     * After a restore the slot holds a backlog committed while the job was stopped: before PostgreSQL
     * has sent it, the lag is at least the time since polling started; the backlog's changes then show
     * their age as they arrive, even once PostgreSQL has sent everything.
     */
    @Test
    void backlogAfterRestoreShowsItsAge() {
        CommitLag lag = new CommitLag(true);
        lag.polled(NOW, 9_000, 2_000); // confirmed position: the job has not connected yet
        assertThat(lag.millis(NOW + 3_000)).isEqualTo(3_000);
        long backlogCommitted = NOW - 600_000;
        lag.arrived(backlogCommitted * 1000, NOW + 4_000);
        lag.polled(NOW + POLL, 9_000, 9_000);
        assertThat(lag.millis(NOW + POLL)).isEqualTo(604_000);
        long afterWindow = NOW + 4_000 + CommitLag.ARRIVAL_WINDOW_MILLIS;
        for (long t = NOW + 2 * POLL; t <= afterWindow; t += POLL) {
            lag.polled(t, 9_000, 9_000); // idle after the backlog
        }
        assertThat(lag.millis(afterWindow)).isLessThan(POLL);
    }

    @Test
    void unknownSentPositionCountsAsNotSent() {
        CommitLag lag = new CommitLag(true);
        lag.polled(NOW, 100, -1);
        lag.polled(NOW + POLL, 100, -1);
        assertThat(lag.millis(NOW + 2 * POLL)).isEqualTo(2 * POLL);
    }

    @Test
    void closedLagIsUnknown() {
        CommitLag lag = new CommitLag(true);
        lag.polled(NOW, 100, 10);
        lag.close();
        assertThat(lag.millis(NOW + 3_600_000)).isEqualTo(-1);
    }

    @Test
    void onlyThePollingSubtaskTakesPolls() {
        assertThatThrownBy(() -> new CommitLag(false).polled(NOW, 1, 1)).isInstanceOf(IllegalStateException.class);
    }
}
