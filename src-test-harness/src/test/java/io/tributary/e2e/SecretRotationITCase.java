package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.standin.PostgresPasswordLogins;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.standin.SecretsManagerStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.postgres.PostgresSourceSettings;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A rotated password reaches the running job: the job reads its password from a (stand-in) Secrets Manager secret
 * when it opens a connection; the test changes the role's password and the secret, ends every session of the job's
 * role and kills the TaskManager, and a change made after the rotation arrives in the event log. The database checks
 * passwords (SCRAM), so a connection with the old password cannot log in.
 */
class SecretRotationITCase {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tributary/rotating-AbCdEf";
    private static final String ROLE = "rotating_cdc";
    private static final String FIRST = "first-Pw-4711";
    private static final String SECOND = "second-Pw-0815";

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @RegisterExtension
    static final StandInExtension<SecretsManagerStandIn> SECRETS = StandInExtension.secretsManager();

    @BeforeAll
    static void passwordLoginsAndSdkCredentials() {
        PostgresPasswordLogins.require(PG.get());
        // the SDK's default credentials chain reads these; the stand-in does not check signatures
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void clearSdkCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void jobKeepsCapturingAfterThePasswordAndTheSecretRotate(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("e2e_rotation");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 300);
        // superuser so it may create the publication (the harness's preflight tests cover the real grants)
        PG.get().execute("CREATE ROLE " + ROLE + " LOGIN SUPERUSER REPLICATION PASSWORD '" + FIRST + "'");
        SECRETS.get()
                .put(ARN, "{\"username\":\"" + ROLE + "\",\"password\":\"" + FIRST + "\",\"engine\":\"postgres\"}");
        Path log = dir.resolve("log");
        JobConfig config = config(db, log);

        PostgresSourceSettings settings = config.sourceSettings();
        assertThat(settings.password()).isNull();
        assertThat(new String(InstantiationUtil.serializeObject(settings), StandardCharsets.ISO_8859_1))
                .as("the serialized source settings (the job graph's)")
                .contains(ARN)
                .doesNotContain(FIRST);

        Configuration flink = PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("checkpoints"), true);
        // logins fail until the rotation reaches both sides and the 5 s cache has passed: allow the restarts
        flink.setString("restart-strategy.fixed-delay.attempts", "60");
        flink.setString("restart-strategy.fixed-delay.delay", "1 s");
        try (PipelineRun run = PipelineRun.start(config, ProductionEndpoints.create(config), flink, 1)) {
            CaptureFixture.awaitEvents(log, seeded, Duration.ofMinutes(3), () -> EventLogEndToEndITCase.alive(run));
            int readsBeforeRotation = SECRETS.get().reads();
            assertThat(readsBeforeRotation)
                    .as("the secret was read to open connections")
                    .isPositive();

            PG.get().execute("ALTER ROLE " + ROLE + " PASSWORD '" + SECOND + "'");
            SECRETS.get()
                    .put(
                            ARN,
                            "{\"username\":\"" + ROLE + "\",\"password\":\"" + SECOND + "\",\"engine\":\"postgres\"}");
            PG.get().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
            run.failTaskManager();
            assertThatThrownBy(() -> login(FIRST))
                    .as("the old password no longer logs in")
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");

            run.awaitRunning(Duration.ofMinutes(3));
            PG.get()
                    .executeIn(
                            db,
                            "UPDATE customers SET full_name = 'after the rotation' WHERE id = (SELECT min(id) FROM customers)");
            Map<DemoTable, Long> expected = new EnumMap<>(seeded);
            expected.merge(DemoTable.CUSTOMERS, 1L, Long::sum);
            CaptureFixture.awaitEvents(log, expected, Duration.ofMinutes(3), () -> EventLogEndToEndITCase.alive(run));
            assertThat(SECRETS.get().reads())
                    .as("the secret was read again after the rotation")
                    .isGreaterThan(readsBeforeRotation);
            try (Connection c = PG.get().connect(db)) {
                CaptureFixture.assertLogEqualsDatabase(log, c, expected);
            }
        }
    }

    private static void login(String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ROLE);
        p.setProperty("password", password);
        DriverManager.getConnection(PG.get().jdbcUrl("postgres"), p).close();
    }

    private static JobConfig config(String database, Path log) {
        Map<String, String> source = new HashMap<>();
        source.put("hostname", PG.get().host());
        source.put("port", Integer.toString(PG.get().port()));
        source.put("database", database);
        source.put("username", ROLE);
        source.put("password.secret-arn", ARN);
        source.put("password.secret-endpoint", SECRETS.get().endpoint());
        source.put("slot.name", "tributary_" + database);
        source.put("publication.name", "tributary_" + database);
        source.put("tables.include", CaptureFixture.DEMO_TABLES);
        source.put("snapshot.split-size", "100");
        source.put("heartbeat.interval", "1 s");
        return JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                source,
                "sink.eventlog",
                Map.of("path", log.toUri().toString()))));
    }
}
