package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.PostgresPasswordLogins;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.postgres.auth.CountingIamTokenPlugin;
import io.tributary.postgres.auth.FixedTokenGenerator;
import io.tributary.postgres.auth.PostgresAuthProperties;
import io.tributary.postgres.auth.PostgresIamTokenPlugin;
import io.tributary.postgres.auth.WrongTokenGenerator;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * IAM database authentication through pgjdbc for real, with a counting fake of the token generator (there is no RDS
 * here): the database checks passwords (SCRAM) and the role's only password is the fake token, so a connection that
 * does not get its password from the plugin cannot log in.
 */
class PostgresIamAuthITCase {
    private static final String DB = "iamauth";
    private static final String ROLE = "iam_cdc";

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @BeforeAll
    static void createDatabase() {
        PostgresPasswordLogins.require(PG.get());
        PG.get().createDatabase(DB);
        PG.get()
                .executeIn(
                        DB,
                        "CREATE TABLE items (id int PRIMARY KEY, v text)",
                        "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                        // superuser so it may create the publication; the token is its only password
                        "CREATE ROLE " + ROLE + " LOGIN SUPERUSER REPLICATION PASSWORD '" + FixedTokenGenerator.TOKEN
                                + "'");
    }

    private static Map<String, String> iam(String plugin, String generator) {
        Map<String, String> p = new LinkedHashMap<>(
                PostgresAuthProperties.iam(PG.get().host(), PG.get().port(), "eu-west-1"));
        p.put(PostgresAuthProperties.PLUGIN, plugin);
        p.put(PostgresAuthProperties.IAM_TOKEN_GENERATOR, generator);
        return p;
    }

    private static PostgresSourceSettings.Builder settings(Map<String, String> auth) {
        return PostgresSourceSettings.builder()
                .hostname(PG.get().host())
                .port(PG.get().port())
                .database(DB)
                .username(ROLE)
                .driverProperties(auth)
                .slotName("iam_slot")
                .publicationName("iam_pub")
                .tableInclude(List.of("public\\.items"))
                .heartbeatInterval(Duration.ofSeconds(1))
                .connectMaxRetries(0)
                .connectTimeout(Duration.ofSeconds(5));
    }

    @Test
    void pgjdbcAsksThePluginForEveryNewConnectionAndTheTokenLogsIn() throws Exception {
        PostgresSourceSettings settings = settings(
                        iam(CountingIamTokenPlugin.class.getName(), FixedTokenGenerator.class.getName()))
                .build();
        int pluginBefore = CountingIamTokenPlugin.CALLS.get();
        int signedBefore = FixedTokenGenerator.CALLS.get();
        for (int i = 0; i < 3; i++) {
            try (Connection c = PostgresPreflight.connect(settings, Duration.ofMillis(10));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(ROLE);
            }
        }
        assertThat(CountingIamTokenPlugin.CALLS.get() - pluginBefore)
                .as("plugin calls for 3 connections")
                .isEqualTo(3);
        // three connections within the reuse window sign at most once (none if an earlier test signed already)
        assertThat(FixedTokenGenerator.CALLS.get() - signedBefore).isBetween(0, 1);
        assertThat(FixedTokenGenerator.CALLS.get()).isPositive();
    }

    @Test
    void aTokenTheDatabaseRefusesFailsWithoutShowingIt() {
        PostgresSourceSettings settings = settings(
                        iam(CountingIamTokenPlugin.class.getName(), WrongTokenGenerator.class.getName()))
                .build();
        assertThatThrownBy(() -> PostgresPreflight.connect(settings, Duration.ofMillis(10)))
                .isInstanceOf(PostgresPreflightException.class)
                .hasMessageContaining("password authentication failed for user \"" + ROLE + "\"")
                .hasMessageNotContaining(WrongTokenGenerator.TOKEN);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void snapshotAndReplicationConnectionsLogInWithTokens() throws Exception {
        // the production plugin, as the job names it; Flink CDC's builder password is empty
        PostgresSourceSettings settings = settings(
                        iam(PostgresIamTokenPlugin.class.getName(), FixedTokenGenerator.class.getName()))
                .build();
        assertThat(PostgresConnectionAuth.builderPassword(settings)).isEmpty();
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(1000);
        try (CloseableIterator<ChangeEvent> it = env.fromSource(
                        PostgresSources.create(settings), WatermarkStrategy.noWatermarks(), "postgres")
                .executeAndCollect("iam-auth-it")) {
            List<ChangeEvent> snapshot = take(it, 4); // the baseline TRUNCATE and three rows
            assertThat(snapshot).filteredOn(e -> !e.isTruncate()).hasSize(3).allMatch(ChangeEvent::snapshot);
            PG.get().executeIn(DB, "INSERT INTO items VALUES (4, 'streamed')");
            ChangeEvent streamed = take(it, 1).get(0);
            assertThat(streamed.op()).isEqualTo(Op.INSERT);
            assertThat(streamed.snapshot()).isFalse();
            assertThat(streamed.key()).containsExactly(4);
        }
    }

    private static List<ChangeEvent> take(CloseableIterator<ChangeEvent> it, int n) {
        List<ChangeEvent> out = new ArrayList<>();
        while (out.size() < n && it.hasNext()) {
            out.add(it.next());
        }
        assertThat(out).hasSize(n);
        return out;
    }
}
