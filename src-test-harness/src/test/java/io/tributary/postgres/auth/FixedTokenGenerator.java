package io.tributary.postgres.auth;

import java.util.concurrent.atomic.AtomicInteger;

/** A counting fake of the SDK's token generator: always {@link #TOKEN}, the test role's password. */
public final class FixedTokenGenerator implements PostgresIamTokenGenerator {
    public static final String TOKEN = "fake-iam-token-b1f3c9";
    public static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public String generate(String hostname, int port, String username, String region) {
        CALLS.incrementAndGet();
        return TOKEN;
    }
}
