package io.tributary.postgres.auth;

/** A fake token generator whose tokens the database refuses. */
public final class WrongTokenGenerator implements PostgresIamTokenGenerator {
    public static final String TOKEN = "expired-iam-token-7e2a";

    @Override
    public String generate(String hostname, int port, String username, String region) {
        return TOKEN;
    }
}
