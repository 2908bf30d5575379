package io.tributary.postgres.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The password in a secret's text: the whole text, or the {@code "password"} field of a JSON object (as RDS-managed
 * secrets and the Secrets Manager rotation functions for RDS store it). No message built here contains the text.
 */
public final class PostgresSecretText {
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\\d{12}:secret:.+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PostgresSecretText() {}

    /** The region a Secrets Manager secret ARN names, or null if {@code arn} is not one. */
    public static String regionOf(String arn) {
        Matcher m = ARN.matcher(arn);
        return m.matches() ? m.group(1) : null;
    }

    /** The password held in {@code text}, the value of secret {@code arn}. */
    public static String password(String arn, String text) {
        if (text == null || text.isEmpty()) {
            throw new PostgresSecretException("secret " + arn + " is empty: store the database password in it");
        }
        if (!text.trim().startsWith("{")) {
            return text;
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            // Deliberately no cause: the parser's message quotes the secret's text.
            throw new PostgresSecretException("secret " + arn + " starts with '{' but is not valid JSON: store the"
                    + " password alone, or JSON like {\"username\": …, \"password\": …}");
        }
        JsonNode password = json.get("password");
        if (password == null || !password.isTextual() || password.asText().isEmpty()) {
            throw new PostgresSecretException("secret " + arn + " is JSON without a non-empty string \"password\" key:"
                    + " add one (keys found: " + fieldNames(json) + ")");
        }
        return password.asText();
    }

    private static String fieldNames(JsonNode json) {
        StringBuilder names = new StringBuilder();
        json.fieldNames()
                .forEachRemaining(
                        n -> names.append(names.length() == 0 ? "" : ", ").append(n));
        return names.toString();
    }
}
