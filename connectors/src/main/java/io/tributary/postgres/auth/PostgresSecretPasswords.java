package io.tributary.postgres.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Database passwords read from secrets when connections are opened, each kept for {@link #CACHE} so that a burst of
 * connections (a pool filling, several readers starting) reads the secret once.
 *
 * <p>Why a short cache is the whole rotation story: the plugin cannot see whether the password it gave was accepted,
 * and Flink CDC and Debezium open and retry connections themselves. After a rotation, a connection opened within
 * {@link #CACHE} of the last read may still get the old password and fail (SQLSTATE 28P01); the library's retry or
 * the job's restart opens another one later, which reads the secret again and gets the new password. The job's own
 * connections (start-up checks, slot lag) do better: on 28P01 they {@link #invalidate} and retry once at once.
 */
public final class PostgresSecretPasswords {
    /** How long a secret's value is reused; short against any rotation schedule, long against a burst of opens. */
    public static final Duration CACHE = Duration.ofSeconds(5);

    private static final Map<String, PostgresSecretPasswords> SHARED = new ConcurrentHashMap<>();

    private final PostgresSecretReader reader;
    private final Clock clock;
    private final Map<String, Read> reads = new ConcurrentHashMap<>();

    public PostgresSecretPasswords(PostgresSecretReader reader, Clock clock) {
        this.reader = Objects.requireNonNull(reader);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The JVM's passwords read from AWS Secrets Manager. */
    static PostgresSecretPasswords shared() {
        return SHARED.computeIfAbsent(
                "secretsmanager",
                k -> new PostgresSecretPasswords(new SecretsManagerSecretReader(), Clock.systemUTC()));
    }

    /** Forgets the JVM's cached passwords, so the next connection reads its secret again. */
    public static void invalidateShared() {
        SHARED.values().forEach(PostgresSecretPasswords::invalidate);
    }

    /** The password in secret {@code arn}: read now unless read within {@link #CACHE}. */
    public String password(String arn, String region, String endpoint) {
        String key = arn + "|" + endpoint;
        Instant now = clock.instant();
        Read current = reads.compute(
                key,
                (k, old) -> old != null && now.isBefore(old.at.plus(CACHE)) && !now.isBefore(old.at)
                        ? old
                        : new Read(PostgresSecretText.password(arn, reader.secretString(arn, region, endpoint)), now));
        return current.password;
    }

    /** Forgets every cached password. */
    public void invalidate() {
        reads.clear();
    }

    private static final class Read {
        final String password;
        final Instant at;

        Read(String password, Instant at) {
            this.password = password;
            this.at = at;
        }
    }
}
