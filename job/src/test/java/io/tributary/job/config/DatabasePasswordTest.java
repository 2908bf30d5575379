package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class DatabasePasswordTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tributary/db-AbCdEf";

    /** A fake Secrets Manager: one secret, and a record of what was asked. */
    private static final class FakeSecrets implements SecretsProvider {
        final Map<String, String> secrets = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public String secretString(String arn) {
            asked.add(arn);
            String value = secrets.get(arn);
            if (value == null) {
                throw new ConfigException("cannot read secret " + arn);
            }
            return value;
        }
    }

    private static Configuration source(String... keyValues) {
        Map<String, String> raw = new HashMap<>(Map.of(
                "hostname", "db", "database", "shop", "username", "cdc", "tables.include", ".*"));
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return SourceOptions.GROUP.validate(raw);
    }

    @Test
    void plainSecretIsThePassword() {
        FakeSecrets secrets = new FakeSecrets();
        secrets.secrets.put(ARN, "hunter2");
        assertThat(DatabasePassword.resolve(source("password.secret-arn", ARN), env(), secrets)).isEqualTo("hunter2");
        assertThat(secrets.asked).containsExactly(ARN);
    }

    @Test
    void jsonSecretYieldsItsPasswordKey() {
        FakeSecrets secrets = new FakeSecrets();
        secrets.secrets.put(ARN, "{\"username\":\"cdc\",\"password\":\"hunter2\",\"engine\":\"postgres\"}");
        assertThat(DatabasePassword.resolve(source("password.secret-arn", ARN), env(), secrets)).isEqualTo("hunter2");
    }

    @Test
    void jsonSecretWithoutPasswordKeyFailsNamingTheKeysButNoValues() {
        FakeSecrets secrets = new FakeSecrets();
        secrets.secrets.put(ARN, "{\"username\":\"cdc\",\"pass\":\"hunter2\"}");
        assertThatThrownBy(() -> DatabasePassword.resolve(source("password.secret-arn", ARN), env(), secrets))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"password\" key")
                .hasMessageContaining("username, pass")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void malformedJsonSecretNeverQuotesTheSecret() {
        FakeSecrets secrets = new FakeSecrets();
        secrets.secrets.put(ARN, "{hunter2");
        assertThatThrownBy(() -> DatabasePassword.resolve(source("password.secret-arn", ARN), env(), secrets))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("hunter2")
                .hasNoCause();
    }

    @Test
    void environmentVariableIsUsedWhenNoSecretIsNamed() {
        FakeSecrets secrets = new FakeSecrets();
        assertThat(DatabasePassword.resolve(source("password.env", "PG_PW"), env("PG_PW", "from-env"), secrets))
                .isEqualTo("from-env");
        assertThat(secrets.asked).isEmpty();
    }

    @Test
    void missingPasswordTellsEveryWayToSetOne() {
        assertThatThrownBy(() -> DatabasePassword.resolve(source(), env(), new FakeSecrets()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("password.secret-arn")
                .hasMessageContaining("TRIBUTARY_DB_PASSWORD");
    }

    @Test
    void plainPasswordIsRefusedInServiceModeOnly() {
        Configuration withPlain = source("password", "hunter2");
        DatabasePassword.check(withPlain, RunMode.LOCAL);
        assertThatThrownBy(() -> DatabasePassword.check(withPlain, RunMode.SERVICE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'password' is not accepted in service mode")
                .hasMessageContaining("password.secret-arn")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void passwordAndSecretTogetherAreAmbiguous() {
        assertThatThrownBy(() -> DatabasePassword.check(source("password", "x", "password.secret-arn", ARN), RunMode.LOCAL))
                .hasMessageContaining("keep one");
    }

    @Test
    void malformedArnFailsBeforeAnyCall() {
        assertThatThrownBy(() -> DatabasePassword.check(source("password.secret-arn", "tributary/db"), RunMode.SERVICE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("arn:aws:secretsmanager:<region>:<account>:secret:<name>");
        assertThat(SecretsManagerSecrets.region(ARN)).isEqualTo("eu-west-1");
    }

    @Test
    void configToStringNeverShowsThePassword() {
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres", Map.of("hostname", "db", "database", "shop", "username", "cdc",
                        "tables.include", ".*", "password", "hunter2"),
                "sink.eventlog", Map.of("path", "file:///tmp/x"))));
        assertThat(config.toString()).doesNotContain("hunter2");
    }

    private static java.util.function.Function<String, String> env(String... keyValues) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            vars.put(keyValues[i], keyValues[i + 1]);
        }
        return vars::get;
    }
}
