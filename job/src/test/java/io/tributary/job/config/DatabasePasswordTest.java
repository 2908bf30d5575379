package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.postgres.auth.PostgresAuthProperties;
import io.tributary.postgres.auth.PostgresIamTokenPlugin;
import io.tributary.postgres.auth.PostgresSecretPasswordPlugin;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

class DatabasePasswordTest {
    private static final AwsRegionResolver NO_REGION = new AwsRegionResolver(() -> null);
    private static final AwsRegionResolver RUNTIME = new AwsRegionResolver(() -> Region.of("ap-south-1"));
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tributary/db-AbCdEf";

    private static Configuration source(String... keyValues) {
        Map<String, String> raw =
                new HashMap<>(Map.of("hostname", "db", "database", "shop", "username", "cdc", "tables.include", ".*"));
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return SourceOptions.GROUP.validate(raw);
    }

    @Test
    void secretIsReadAtConnectionTimeSoOnlyItsArnIsKept() {
        Configuration source = source("password.secret-arn", ARN);
        assertThat(DatabasePassword.resolve(source, env("TRIBUTARY_DB_PASSWORD", "from-env")))
                .isNull();
        assertThat(DatabasePassword.authProperties(source, NO_REGION))
                .containsEntry(PostgresAuthProperties.PLUGIN, PostgresSecretPasswordPlugin.class.getName())
                .containsEntry(PostgresAuthProperties.SECRET_ARN, ARN)
                .containsEntry(PostgresAuthProperties.SECRET_REGION, "eu-west-1")
                .doesNotContainKey(PostgresAuthProperties.SECRET_ENDPOINT);
        assertThat(DatabasePassword.authProperties(
                        source("password.secret-arn", ARN, "password.secret-endpoint", "http://127.0.0.1:1"),
                        NO_REGION))
                .containsEntry(PostgresAuthProperties.SECRET_ENDPOINT, "http://127.0.0.1:1");
    }

    @Test
    void iamModeUsesTheTokenPluginWithTheRuntimeRegionUnlessOneIsSet() {
        Configuration iam = source("auth.mode", "iam", "port", "5433");
        DatabasePassword.check(iam, RunMode.SERVICE);
        assertThat(DatabasePassword.resolve(iam, env())).isNull();
        assertThat(DatabasePassword.authProperties(iam, RUNTIME))
                .containsEntry(PostgresAuthProperties.PLUGIN, PostgresIamTokenPlugin.class.getName())
                .containsEntry(PostgresAuthProperties.IAM_HOSTNAME, "db")
                .containsEntry(PostgresAuthProperties.IAM_PORT, "5433")
                .containsEntry(PostgresAuthProperties.IAM_REGION, "ap-south-1");
        assertThat(DatabasePassword.authProperties(
                        source("auth.mode", "iam", "auth.iam.region", "eu-north-1"), RUNTIME))
                .containsEntry(PostgresAuthProperties.IAM_REGION, "eu-north-1");
    }

    @Test
    void iamModeWithoutAnyRegionNamesTheOption() {
        DatabasePassword.check(source("auth.mode", "iam"), RunMode.SERVICE);
        assertThatThrownBy(() -> DatabasePassword.authProperties(source("auth.mode", "iam"), NO_REGION))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'auth.iam.region'");
    }

    @Test
    void iamModeRefusesAPasswordOrSecret() {
        assertThatThrownBy(() ->
                        DatabasePassword.check(source("auth.mode", "iam", "password.secret-arn", ARN), RunMode.SERVICE))
                .hasMessageContaining("IAM authentication uses no password");
    }

    @Test
    void unknownAuthModeSaysWhatIsAccepted() {
        assertThatThrownBy(() -> DatabasePassword.check(source("auth.mode", "kerberos"), RunMode.LOCAL))
                .hasMessageContaining("'auth.mode' = 'kerberos'")
                .hasMessageContaining("'password'")
                .hasMessageContaining("'iam'");
    }

    @Test
    void passwordSettingsGiveNoPluginProperties() {
        assertThat(DatabasePassword.authProperties(source("password", "x"), RUNTIME))
                .isEmpty();
    }

    @Test
    void environmentVariableIsUsedWhenNoSecretIsNamed() {
        assertThat(DatabasePassword.resolve(source("password.env", "PG_PW"), env("PG_PW", "from-env")))
                .isEqualTo("from-env");
    }

    @Test
    void missingPasswordTellsEveryWayToSetOne() {
        assertThatThrownBy(() -> DatabasePassword.resolve(source(), env()))
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
        assertThatThrownBy(() ->
                        DatabasePassword.check(source("password", "x", "password.secret-arn", ARN), RunMode.LOCAL))
                .hasMessageContaining("keep one");
    }

    @Test
    void malformedArnFailsBeforeAnyCall() {
        assertThatThrownBy(() -> DatabasePassword.check(source("password.secret-arn", "tributary/db"), RunMode.SERVICE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("arn:aws:secretsmanager:<region>:<account>:secret:<name>");
        assertThat(DatabasePassword.secretRegion(ARN)).isEqualTo("eu-west-1");
    }

    @Test
    void configToStringNeverShowsThePassword() {
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                        Map.of(
                                "hostname",
                                "db",
                                "database",
                                "shop",
                                "username",
                                "cdc",
                                "tables.include",
                                ".*",
                                "password",
                                "hunter2"),
                "sink.eventlog", Map.of("path", "file:///tmp/x"))));
        assertThat(config.toString()).doesNotContain("hunter2");
    }

    private static Function<String, String> env(String... keyValues) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            vars.put(keyValues[i], keyValues[i + 1]);
        }
        return vars::get;
    }
}
