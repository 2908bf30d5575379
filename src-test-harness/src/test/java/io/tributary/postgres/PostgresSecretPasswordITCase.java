package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresPasswordLogins;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.standin.SecretsManagerStandIn;
import io.tributary.postgres.auth.PostgresAuthProperties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The password read from Secrets Manager (a local stand-in) when a connection is opened, through pgjdbc for real
 * against a PostgreSQL that checks passwords: the job's own connections re-read the secret once after a failed
 * login, so a rotation inside the 5-second cache costs no failure.
 */
class PostgresSecretPasswordITCase {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSecretPasswordITCase.class);
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tributary/it-AbCdEf";
    private static final String ROLE = "secret_cdc";

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @RegisterExtension
    static final StandInExtension<SecretsManagerStandIn> SECRETS = StandInExtension.secretsManager();

    @BeforeAll
    static void passwordLoginsAndSdkCredentials() {
        PostgresPasswordLogins.require(PG.get());
        PG.get().execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'pw-one'");
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void clearSdkCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static PostgresSourceSettings settings() {
        return PostgresSourceSettings.builder()
                .hostname(PG.get().host())
                .port(PG.get().port())
                .database("postgres")
                .username(ROLE)
                .driverProperties(PostgresAuthProperties.secret(
                        ARN, "us-east-1", SECRETS.get().endpoint()))
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("public\\..*"))
                .connectMaxRetries(0)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    private static String currentUser(PostgresSourceSettings settings) throws Exception {
        try (Connection c = PostgresPreflight.connect(settings, Duration.ofMillis(10));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aRotationWithinTheCacheIsPickedUpByReReadingOnceAndAWrongSecretFailsWithoutShowingIt() throws Exception {
        PostgresSourceSettings settings = settings();
        SECRETS.get().put(ARN, "{\"username\":\"" + ROLE + "\",\"password\":\"pw-one\"}");
        long started = System.nanoTime();
        assertThat(currentUser(settings)).isEqualTo(ROLE);
        LOG.info("first login with a secret (SDK client cold): "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        started = System.nanoTime();
        assertThat(currentUser(settings)).isEqualTo(ROLE);
        LOG.info("second login (cached secret): "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");

        // rotate both sides; the JVM still caches pw-one: the first login fails, the secret is read again, once
        PG.get().execute("ALTER ROLE " + ROLE + " PASSWORD 'pw-two'");
        SECRETS.get().put(ARN, "{\"username\":\"" + ROLE + "\",\"password\":\"pw-two\"}");
        int reads = SECRETS.get().reads();
        assertThat(currentUser(settings)).isEqualTo(ROLE);
        assertThat(SECRETS.get().reads() - reads)
                .as("reads of the secret for the rotated login")
                .isEqualTo(1);

        // the database changed but the secret did not: one re-read, then the failure, naming no password
        PG.get().execute("ALTER ROLE " + ROLE + " PASSWORD 'pw-three'");
        int before = SECRETS.get().reads();
        assertThatThrownBy(() -> currentUser(settings))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("password authentication failed for user \"" + ROLE + "\"")
                .hasMessageNotContaining("pw-two")
                .hasMessageNotContaining("pw-three");
        assertThat(SECRETS.get().reads() - before).isEqualTo(1);
    }

    @Test
    void aSecretThatCannotBeReadSaysWhatToCheck() {
        PostgresSourceSettings settings = PostgresSourceSettings.builder()
                .hostname(PG.get().host())
                .port(PG.get().port())
                .database("postgres")
                .username(ROLE)
                .driverProperties(PostgresAuthProperties.secret(
                        ARN + "-missing", "us-east-1", SECRETS.get().endpoint()))
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("public\\..*"))
                .connectMaxRetries(0)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        assertThatThrownBy(() -> currentUser(settings))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("cannot read secret " + ARN + "-missing")
                .hasMessageContaining("secretsmanager:GetSecretValue");
    }
}
