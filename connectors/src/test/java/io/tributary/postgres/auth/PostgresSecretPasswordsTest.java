package io.tributary.postgres.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class PostgresSecretPasswordsTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tributary/db-AbCdEf";

    /** A fake Secrets Manager whose one secret the test rotates, and a record of every read. */
    private static final class RotatingSecret implements PostgresSecretReader {
        String value = "{\"username\":\"cdc\",\"password\":\"first\"}";
        final List<String> reads = new ArrayList<>();

        @Override
        public String secretString(String arn, String region, String endpoint) {
            reads.add(arn + " " + region + " " + endpoint);
            return value;
        }
    }

    private final RotatingSecret secret = new RotatingSecret();
    private final MutableClock clock = new MutableClock();
    private final PostgresSecretPasswords passwords = new PostgresSecretPasswords(secret, clock);

    @Test
    void connectionsWithinTheCacheReadTheSecretOnce() {
        assertThat(passwords.password(ARN, "eu-west-1", null)).isEqualTo("first");
        clock.advance(PostgresSecretPasswords.CACHE.minusMillis(1));
        assertThat(passwords.password(ARN, "eu-west-1", null)).isEqualTo("first");
        assertThat(secret.reads).containsExactly(ARN + " eu-west-1 null");
    }

    @Test
    void aConnectionAfterTheCacheGetsTheRotatedPassword() {
        passwords.password(ARN, "eu-west-1", null);
        secret.value = "{\"username\":\"cdc\",\"password\":\"second\"}";
        clock.advance(PostgresSecretPasswords.CACHE);
        assertThat(passwords.password(ARN, "eu-west-1", null)).isEqualTo("second");
        assertThat(secret.reads).hasSize(2);
    }

    @Test
    void invalidateMakesTheNextConnectionReadTheSecretAgain() {
        passwords.password(ARN, "eu-west-1", "http://127.0.0.1:1");
        secret.value = "plain-second";
        passwords.invalidate();
        assertThat(passwords.password(ARN, "eu-west-1", "http://127.0.0.1:1")).isEqualTo("plain-second");
        assertThat(secret.reads)
                .containsExactly(ARN + " eu-west-1 http://127.0.0.1:1", ARN + " eu-west-1 http://127.0.0.1:1");
    }

    @Test
    void aSecretWithoutAPasswordIsNotCachedAndNeverQuoted() {
        secret.value = "{\"username\":\"cdc\",\"pass\":\"hunter2\"}";
        assertThatThrownBy(() -> passwords.password(ARN, "eu-west-1", null))
                .isInstanceOf(PostgresSecretException.class)
                .hasMessageNotContaining("hunter2");
        secret.value = "fixed";
        clock.advance(Duration.ofMillis(1));
        assertThat(passwords.password(ARN, "eu-west-1", null)).isEqualTo("fixed");
    }
}
