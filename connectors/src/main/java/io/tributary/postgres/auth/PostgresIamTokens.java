package io.tributary.postgres.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out IAM tokens, each reused for at most {@link #REUSE} (a third of the token's 15-minute lifetime), so a burst
 * of connections (a connection pool filling, several readers starting) signs once, and a connection opened later
 * always gets a token with most of its lifetime ahead. A token is only checked when a connection authenticates; an
 * open connection outlives it.
 */
public final class PostgresIamTokens {
    /** How long one token is handed out; RDS tokens are valid for 15 minutes from signing. */
    public static final Duration REUSE = Duration.ofMinutes(5);

    private static final Map<String, PostgresIamTokens> SHARED = new ConcurrentHashMap<>();

    private final PostgresIamTokenGenerator generator;
    private final Clock clock;
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    public PostgresIamTokens(PostgresIamTokenGenerator generator, Clock clock) {
        this.generator = Objects.requireNonNull(generator);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The JVM's tokens for a generator class (one per class: a test's fake never shares tokens with RDS's). */
    static PostgresIamTokens shared(String generatorClass) {
        return SHARED.computeIfAbsent(generatorClass, c -> new PostgresIamTokens(instantiate(c), Clock.systemUTC()));
    }

    /** A token for {@code username} at {@code hostname:port}: a fresh one unless one was issued within {@link #REUSE}. */
    public String token(String hostname, int port, String username, String region) {
        String key = hostname + ":" + port + "/" + username + "@" + region;
        Instant now = clock.instant();
        Issued current = issued.compute(
                key,
                (k, old) -> old != null && now.isBefore(old.at.plus(REUSE)) && !now.isBefore(old.at)
                        ? old
                        : new Issued(generator.generate(hostname, port, username, region), now));
        return current.token;
    }

    /** Forgets the JVM's tokens, so the next connection signs a new one. */
    public static void invalidateShared() {
        SHARED.values().forEach(PostgresIamTokens::invalidate);
    }

    /** Forgets every token, so the next connection signs a new one (after an authentication failure). */
    public void invalidate() {
        issued.clear();
    }

    private static PostgresIamTokenGenerator instantiate(String className) {
        try {
            return Class.forName(className)
                    .asSubclass(PostgresIamTokenGenerator.class)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot create the IAM token generator " + className, e);
        }
    }

    private static final class Issued {
        final String token;
        final Instant at;

        Issued(String token, Instant at) {
            this.token = token;
            this.at = at;
        }
    }
}
