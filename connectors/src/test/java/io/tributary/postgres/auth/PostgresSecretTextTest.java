package io.tributary.postgres.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresSecretTextTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tributary/db-AbCdEf";

    @Test
    void plainSecretIsThePassword() {
        assertThat(PostgresSecretText.password(ARN, "hunter2")).isEqualTo("hunter2");
    }

    @Test
    void jsonSecretYieldsItsPasswordKey() {
        assertThat(PostgresSecretText.password(
                        ARN, "{\"username\":\"cdc\",\"password\":\"hunter2\",\"engine\":\"postgres\"}"))
                .isEqualTo("hunter2");
    }

    @Test
    void jsonSecretWithoutPasswordKeyFailsNamingTheKeysButNoValues() {
        assertThatThrownBy(() -> PostgresSecretText.password(ARN, "{\"username\":\"cdc\",\"pass\":\"hunter2\"}"))
                .isInstanceOf(PostgresSecretException.class)
                .hasMessageContaining("\"password\" key")
                .hasMessageContaining("username, pass")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void malformedJsonSecretNeverQuotesTheSecret() {
        assertThatThrownBy(() -> PostgresSecretText.password(ARN, "{hunter2"))
                .isInstanceOf(PostgresSecretException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("hunter2")
                .hasNoCause();
    }

    @Test
    void emptySecretSaysWhatToStore() {
        assertThatThrownBy(() -> PostgresSecretText.password(ARN, "")).hasMessageContaining("is empty");
    }

    @Test
    void regionComesFromTheArn() {
        assertThat(PostgresSecretText.regionOf(ARN)).isEqualTo("eu-west-1");
        assertThat(PostgresSecretText.regionOf("tributary/db")).isNull();
    }
}
