package io.tributary.job.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitLagTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void unknownBeforeTheFirstStreamedChange() {
        assertThat(new CommitLag().millis()).isEqualTo(-1);
    }

    @Test
    void lagIsTheDelayOfTheNewestChangeOnArrival() {
        CommitLag lag = new CommitLag();
        lag.record((NOW - 5_000) * 1000, NOW);
        assertThat(lag.millis()).isEqualTo(5_000);
        lag.record((NOW + 60_000 - 20) * 1000, NOW + 60_000);
        assertThat(lag.millis()).isEqualTo(20);
    }

    /** The value depends only on what arrived: an idle hour after the last change leaves it where it was. */
    @Test
    void lagStaysFlatWhileNothingArrives() {
        CommitLag lag = new CommitLag();
        lag.record((NOW - 40) * 1000, NOW);
        long first = lag.millis();
        // nothing arrives; whoever reads the gauge later reads the same value
        assertThat(lag.millis()).isEqualTo(first).isEqualTo(40);
    }

    @Test
    void clockSkewNeverGivesANegativeLag() {
        CommitLag lag = new CommitLag();
        lag.record((NOW + 3_000) * 1000, NOW);
        assertThat(lag.millis()).isZero();
    }
}
