package io.tributary.postgres.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class PostgresIamTokensTest {
    /** Counts tokens and names each one after its number and request. */
    private static final class CountingGenerator implements PostgresIamTokenGenerator {
        final List<String> calls = new ArrayList<>();

        @Override
        public String generate(String hostname, int port, String username, String region) {
            calls.add(username + "@" + hostname + ":" + port + "/" + region);
            return "token-" + calls.size();
        }
    }

    private final CountingGenerator generator = new CountingGenerator();
    private final MutableClock clock = new MutableClock();
    private final PostgresIamTokens tokens = new PostgresIamTokens(generator, clock);

    @Test
    void aBurstOfConnectionsSignsOnce() {
        assertThat(tokens.token("db.example", 5432, "cdc", "eu-west-1")).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(4));
        assertThat(tokens.token("db.example", 5432, "cdc", "eu-west-1")).isEqualTo("token-1");
        assertThat(generator.calls).containsExactly("cdc@db.example:5432/eu-west-1");
    }

    @Test
    void aConnectionAfterTheReuseWindowGetsANewTokenLongBeforeTheOldOneExpires() {
        tokens.token("db.example", 5432, "cdc", "eu-west-1");
        clock.advance(PostgresIamTokens.REUSE);
        assertThat(tokens.token("db.example", 5432, "cdc", "eu-west-1")).isEqualTo("token-2");
        clock.advance(Duration.ofMinutes(15));
        assertThat(tokens.token("db.example", 5432, "cdc", "eu-west-1")).isEqualTo("token-3");
        assertThat(generator.calls).hasSize(3);
        assertThat(PostgresIamTokens.REUSE).isLessThan(Duration.ofMinutes(15));
    }

    @Test
    void eachUserHostAndRegionHasItsOwnToken() {
        tokens.token("db.example", 5432, "cdc", "eu-west-1");
        tokens.token("db.example", 5432, "other", "eu-west-1");
        tokens.token("db.example", 5433, "cdc", "eu-west-1");
        tokens.token("db.example", 5432, "cdc", "us-east-2");
        assertThat(generator.calls).hasSize(4);
    }

    @Test
    void aClockThatWentBackSignsAgain() {
        tokens.token("db.example", 5432, "cdc", "eu-west-1");
        clock.advance(Duration.ofMinutes(-1));
        assertThat(tokens.token("db.example", 5432, "cdc", "eu-west-1")).isEqualTo("token-2");
    }

    @Test
    void invalidateForgetsTheToken() {
        tokens.token("db.example", 5432, "cdc", "eu-west-1");
        tokens.invalidate();
        assertThat(tokens.token("db.example", 5432, "cdc", "eu-west-1")).isEqualTo("token-2");
    }
}
