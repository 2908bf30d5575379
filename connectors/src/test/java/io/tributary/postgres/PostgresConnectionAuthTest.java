package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.postgres.auth.PostgresAuthProperties;
import io.tributary.postgres.auth.PostgresSecretPasswordPlugin;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/** An authentication plugin instead of a password reaches every kind of connection, and no password is carried. */
class PostgresConnectionAuthTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tributary/db-AbCdEf";

    private static PostgresSourceSettings.Builder settings() {
        return PostgresSourceSettings.builder()
                .hostname("db.example")
                .database("shop")
                .username("cdc")
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("public\\.t"))
                .sslMode(PostgresSslMode.REQUIRE);
    }

    @Test
    void aSecretPluginGoesToJdbcDebeziumAndThePoolWithoutAPassword() {
        PostgresSourceSettings s = settings()
                .driverProperties(PostgresAuthProperties.secret(ARN, "eu-west-1", null))
                .build();
        Properties jdbc = PostgresConnectionProperties.jdbc(s, "tributary-test");
        assertThat(jdbc.getProperty(PostgresAuthProperties.PLUGIN))
                .isEqualTo(PostgresSecretPasswordPlugin.class.getName());
        assertThat(jdbc.getProperty(PostgresAuthProperties.SECRET_ARN)).isEqualTo(ARN);
        assertThat(jdbc.getProperty("password")).isNull();
        Properties dbz = PostgresSources.debeziumProperties(s, Map.of());
        assertThat(dbz.getProperty("database." + PostgresAuthProperties.PLUGIN))
                .isEqualTo(PostgresSecretPasswordPlugin.class.getName());
        assertThat(dbz.getProperty("database." + PostgresAuthProperties.SECRET_REGION))
                .isEqualTo("eu-west-1");
        assertThat(PostgresConnectionAuth.builderPassword(s)).isEmpty();
        assertThat(PostgresConnectionAuth.canReauthenticate(s)).isTrue();
        assertThat(s.toString()).contains("auth=PostgresSecretPasswordPlugin");
    }

    @Test
    void aPasswordAndAPluginTogetherOrNeitherAreRefused() {
        assertThatThrownBy(() -> settings()
                        .password("x")
                        .driverProperties(PostgresAuthProperties.secret(ARN, "eu-west-1", null))
                        .build())
                .hasMessageContaining("keep one way to authenticate");
        assertThatThrownBy(() -> settings().build()).hasMessageContaining("password is not set");
        PostgresSourceSettings plain = settings().password("x").build();
        assertThat(PostgresConnectionAuth.canReauthenticate(plain)).isFalse();
        assertThat(PostgresConnectionAuth.builderPassword(plain)).isEqualTo("x");
    }
}
