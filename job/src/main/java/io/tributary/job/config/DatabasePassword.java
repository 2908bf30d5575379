package io.tributary.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.util.function.Function;

/**
 * Where the database password comes from, in this order: {@code password} (local runs only),
 * {@code password.secret-arn} (AWS Secrets Manager: the secret is the password itself, or JSON
 * with a {@code "password"} key, as RDS-managed secrets are), then the environment variable named
 * by {@code password.env}. No message built here ever contains the password or the secret's text.
 */
public final class DatabasePassword {
    private static final String GROUP = "property group 'source.postgres': ";

    private DatabasePassword() {}

    /**
     * Checks the password settings without reading any secret: one source at most, and no plain
     * {@code password} on the service, where property values are shown to anyone who may describe
     * the application.
     */
    public static void check(Configuration source, RunMode mode) {
        boolean plain = source.get(SourceOptions.PASSWORD) != null;
        String arn = source.get(SourceOptions.PASSWORD_SECRET_ARN);
        if (plain && mode == RunMode.SERVICE) {
            throw new ConfigException(GROUP + "'password' is not accepted in service mode: runtime properties are "
                    + "visible in the application's description. Store the password in AWS Secrets Manager and set "
                    + "'password.secret-arn' instead");
        }
        if (plain && arn != null) {
            throw new ConfigException(GROUP + "both 'password' and 'password.secret-arn' are set: keep one");
        }
        if (arn != null) {
            SecretsManagerSecrets.region(arn);
        }
    }

    /**
     * Resolves the password.
     *
     * @param env reads an environment variable (System::getenv in production)
     * @param secrets reads a secret by ARN; only called when {@code password.secret-arn} is set
     */
    public static String resolve(Configuration source, Function<String, String> env, SecretsProvider secrets) {
        String plain = source.get(SourceOptions.PASSWORD);
        if (plain != null) {
            return plain;
        }
        String arn = source.get(SourceOptions.PASSWORD_SECRET_ARN);
        if (arn != null) {
            return fromSecret(arn, secrets.secretString(arn));
        }
        String variable = source.get(SourceOptions.PASSWORD_ENV);
        String value = env.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(GROUP + "no password: set 'password.secret-arn' to a Secrets Manager secret, "
                    + "or the environment variable " + variable + " (named by 'password.env'), or 'password' for "
                    + "a local run");
        }
        return value;
    }

    /** The password in a secret's text: the whole text, or the "password" field of a JSON object. */
    static String fromSecret(String arn, String text) {
        if (text == null || text.isEmpty()) {
            throw new ConfigException("secret " + arn + " is empty: store the database password in it");
        }
        if (!text.trim().startsWith("{")) {
            return text;
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            // Deliberately no cause: the parser's message quotes the secret's text.
            throw new ConfigException("secret " + arn + " starts with '{' but is not valid JSON: store the password "
                    + "alone, or JSON like {\"username\": …, \"password\": …}");
        }
        JsonNode password = json.get("password");
        if (password == null || !password.isTextual() || password.asText().isEmpty()) {
            throw new ConfigException("secret " + arn + " is JSON without a non-empty string \"password\" key: add "
                    + "one (keys found: " + fieldNames(json) + ")");
        }
        return password.asText();
    }

    private static String fieldNames(JsonNode json) {
        StringBuilder names = new StringBuilder();
        json.fieldNames().forEachRemaining(n -> names.append(names.length() == 0 ? "" : ", ").append(n));
        return names.toString();
    }
}
