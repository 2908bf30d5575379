package io.tributary.job.lag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalTimelineTest {
    @Test
    void caughtUpAtIsTheLatestSampleAtOrBelowTheSentPosition() {
        WalTimeline t = new WalTimeline();
        assertThat(t.caughtUpAt()).isEqualTo(Long.MIN_VALUE);
        t.sample(1_000, 100, 50);
        assertThat(t.caughtUpAt())
                .as("none covered: behind since the first sample")
                .isEqualTo(1_000);
        t.sample(2_000, 200, 100);
        assertThat(t.caughtUpAt()).isEqualTo(1_000);
        t.sample(3_000, 300, 250);
        assertThat(t.caughtUpAt()).isEqualTo(2_000);
        t.sample(4_000, 300, 300);
        assertThat(t.caughtUpAt()).isEqualTo(4_000);
    }

    /** A sent position that goes back (the walsender restarted from the confirmed position) never moves time back. */
    @Test
    void caughtUpAtNeverMovesBack() {
        WalTimeline t = new WalTimeline();
        t.sample(1_000, 100, 100);
        t.sample(2_000, 200, 10);
        assertThat(t.caughtUpAt()).isEqualTo(1_000);
    }

    /** Bounded memory: beyond the cap the oldest samples go, and the lag from the rest is a lower bound. */
    @Test
    void keepsAtMostTheCap() {
        WalTimeline t = new WalTimeline(3);
        for (int i = 1; i <= 10; i++) {
            t.sample(i * 1_000L, i * 100L, 0);
        }
        assertThat(t.caughtUpAt()).isEqualTo(8_000);
        t.sample(11_000, 1_100, 900);
        assertThat(t.caughtUpAt()).isEqualTo(9_000);
    }
}
