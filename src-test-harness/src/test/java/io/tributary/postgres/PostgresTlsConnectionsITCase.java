package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tributary.event.ChangeEvent;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.TlsTestCertificates;
import io.tributary.harness.standin.PostgresStandIn;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.connector.postgresql.connection.PostgresReplicationConnection;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every way Tributary connects to PostgreSQL honours {@code ssl.mode} and {@code ssl.root-cert}, against a server
 * that accepts only TLS and whose certificate (signed by a test CA) names "localhost" only: the start-up checks'
 * and the slot-lag metric's JDBC, Flink CDC's snapshot pool (HikariCP, via {@link PostgresChunkDialect}),
 * Debezium's own JDBC connection and its replication connection. Each path connects with the right CA and
 * {@code verify-full}, and each refuses a wrong CA, a host name the certificate does not name, and TLS off.
 */
class PostgresTlsConnectionsITCase {
    private static final TlsTestCertificates CA = TlsTestCertificates.newCa("tributary test CA");
    private static final TlsTestCertificates OTHER_CA = TlsTestCertificates.newCa("tributary other CA");
    /** Accepts TLS connections only. */
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgresTls(CA.issueServer("localhost"));

    private static String db;

    @BeforeAll
    static void createTable() {
        db = PG.get().createDatabase("tls_paths");
        PG.get().executeIn(db, "CREATE TABLE items (id int PRIMARY KEY, v text)");
    }

    @Test
    void everyPathConnectsOverTlsWithVerifyFullAndTheServersCa() {
        Map<String, Path> paths = paths(settings("localhost", PostgresSslMode.VERIFY_FULL, CA.caPem()));
        paths.forEach((name, path) -> assertThatCode(path::open).as(name).doesNotThrowAnyException());
        try (PostgresConnection jdbc = dialect(settings("localhost", PostgresSslMode.VERIFY_FULL, CA.caPem()))
                        .openJdbcConnection();
                Statement s = jdbc.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(rs.next() && rs.getBoolean(1))
                    .as("the snapshot pool's connection uses TLS")
                    .isTrue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyPathRefusesACertificateNotSignedByTheConfiguredCa() {
        assertEveryPathFails(
                settings("localhost", PostgresSslMode.VERIFY_FULL, OTHER_CA.caPem()),
                "unable to find valid certification path");
        assertEveryPathFails(
                settings("localhost", PostgresSslMode.VERIFY_CA, OTHER_CA.caPem()),
                "unable to find valid certification path");
    }

    @Test
    void verifyFullRefusesAHostNameTheCertificateDoesNotNameAndVerifyCaAcceptsIt() {
        assertEveryPathFails(
                settings("127.0.0.1", PostgresSslMode.VERIFY_FULL, CA.caPem()),
                "could not be verified by hostnameverifier");
        paths(settings("127.0.0.1", PostgresSslMode.VERIFY_CA, CA.caPem()))
                .forEach((name, path) ->
                        assertThatCode(path::open).as(name + " with verify-ca").doesNotThrowAnyException());
    }

    @Test
    void everyPathIsRefusedWithTlsOffByAServerThatAllowsOnlyTls() {
        assertEveryPathFails(settings("localhost", PostgresSslMode.DISABLE, null), "no encryption");
    }

    private static void assertEveryPathFails(PostgresSourceSettings settings, String cause) {
        paths(settings).forEach((name, path) -> {
            Throwable t = catchThrowable(path::open);
            assertThat(t)
                    .as(name + " (" + settings.sslMode().optionValue() + ") must fail")
                    .isNotNull();
            assertThat(messages(t)).as(name + ": the cause").containsIgnoringCase(cause);
        });
    }

    /** One way to connect: opens a connection (and closes it), or throws. */
    interface Path {
        void open() throws Exception;
    }

    private static Map<String, Path> paths(PostgresSourceSettings settings) {
        Map<String, Path> paths = new LinkedHashMap<>();
        paths.put(
                "start-up checks (JDBC)",
                () -> PostgresPreflight.connect(settings, Duration.ofMillis(10)).close());
        paths.put("slot-lag metric (JDBC)", () -> new PostgresSlotLag(settings).read());
        paths.put("snapshot pool (HikariCP)", () -> {
            try (PostgresConnection c = dialect(settings).openJdbcConnection()) {
                c.execute("SELECT 1");
            }
        });
        paths.put("Debezium JDBC", () -> {
            try (PostgresConnection c = new PostgresConnection(
                    dialectConfig(settings).getDbzConnectorConfig().getJdbcConfig(), "tributary-tls-test")) {
                c.connect();
                c.execute("SELECT 1");
            }
        });
        paths.put("Debezium replication", () -> {
            // the type registry comes from a working connection; the replication connection uses settings' TLS
            PostgresSourceSettings working = settings("localhost", PostgresSslMode.VERIFY_FULL, CA.caPem());
            try (PostgresConnection jdbc = dialect(working).openJdbcConnection();
                    PostgresReplicationConnection replication =
                            dialect(settings).openPostgresReplicationConnection(jdbc)) {
                Connection c = replication.connection();
                assertThat(c.isValid(5)).isTrue();
            }
        });
        return paths;
    }

    private static PostgresSourceSettings settings(String host, PostgresSslMode mode, String rootCertPem) {
        return PostgresSourceSettings.builder()
                .hostname(host)
                .port(PG.get().port())
                .database(db)
                .username(PostgresStandIn.USER)
                .password(PostgresStandIn.PASSWORD)
                .slotName("tls_paths")
                .publicationName("tls_paths")
                .tableInclude(List.of("public\\.items"))
                .connectMaxRetries(0)
                .sslMode(mode)
                .sslRootCert(rootCertPem)
                .build();
    }

    /** The source's configuration as {@link PostgresSources} builds it (its Debezium properties included). */
    private static PostgresSourceConfig dialectConfig(PostgresSourceSettings settings) {
        return PostgresIncrementalSource.<ChangeEvent>builder()
                .hostname(settings.hostname())
                .port(settings.port())
                .database(settings.database())
                .username(settings.username())
                .password(settings.password())
                .slotName(settings.slotName())
                .decodingPluginName("pgoutput")
                .schemaList("public")
                .tableList("public\\.items")
                .connectMaxRetries(1)
                .debeziumProperties(PostgresSources.debeziumProperties(settings, Map.of()))
                .getConfigFactory()
                .create(0);
    }

    /**
     * A dialect as the source uses it. Never closed here: closing one clears every connection pool of the JVM
     * ({@code JdbcDataSourceDialect.close}), and the pools must stay apart by their TLS settings alone.
     */
    private static PostgresChunkDialect dialect(PostgresSourceSettings settings) {
        return new PostgresChunkDialect(dialectConfig(settings), Map.of());
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getClass().getSimpleName())
                    .append(": ")
                    .append(c.getMessage())
                    .append(" | ");
        }
        return all.toString();
    }
}
