package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;

import org.apache.flink.cdc.connectors.base.relational.connection.ConnectionPoolId;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One set of driver properties reaches every connection: plain JDBC, Debezium (as {@code database.*}), and Flink
 * CDC's snapshot pool (read back from the Debezium configuration Flink CDC builds); pools differ by TLS settings.
 */
class PostgresConnectionPropertiesTest {
    private static final String PEM = resource("test-ca.pem");
    private static final String OTHER_PEM = resource("other-ca.pem");

    @Test
    void plainJdbcGetsCredentialsTimeoutsTlsAndTheSettingsDriverProperties() {
        Properties p = PostgresConnectionProperties.jdbc(
                settings(PostgresSslMode.VERIFY_FULL, null)
                        .driverProperty("tcpKeepAlive", "true")
                        .build(),
                "tributary-test");
        assertThat(p.getProperty("user")).isEqualTo("cdc");
        assertThat(p.getProperty("password")).isEqualTo("secret");
        assertThat(p.getProperty("ApplicationName")).isEqualTo("tributary-test");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("30");
        assertThat(p.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(p.getProperty("sslfactory")).isEqualTo(PostgresTlsSocketFactory.class.getName());
        assertThat(p.getProperty("tcpKeepAlive")).isEqualTo("true");
    }

    @Test
    void debeziumGetsTheSameDriverPropertiesUnderDatabaseAndNoCredentials() {
        PostgresSourceSettings s = settings(PostgresSslMode.VERIFY_CA, null)
                .driverProperty("tcpKeepAlive", "true")
                .build();
        Properties dbz = PostgresSources.debeziumProperties(s, Map.of());
        assertThat(dbz.getProperty("database.sslmode")).isEqualTo("verify-ca");
        assertThat(dbz.getProperty("database.sslfactory")).isEqualTo(PostgresTlsSocketFactory.class.getName());
        assertThat(dbz.getProperty("database.tcpKeepAlive")).isEqualTo("true");
        assertThat(dbz.stringPropertyNames()).noneMatch(k -> k.equals("database.password"));
    }

    @Test
    void thePoolReadsBackExactlyTheDriverPropertiesFromFlinkCdcsConfiguration() {
        PostgresSourceSettings s = settings(PostgresSslMode.VERIFY_FULL, null)
                .driverProperty("tcpKeepAlive", "true")
                .build();
        PostgresSourceConfig config = config(s);
        Map<String, String> driver = PostgresDriverPoolFactory.driverProperties(config.getDbzProperties());
        assertThat(driver)
                .containsAllEntriesOf(PostgresConnectionProperties.driver(s))
                .doesNotContainKeys("hostname", "port", "user", "password", "dbname", "history", "server.name");
        assertThat(driver.keySet()).allMatch(k -> !k.startsWith("history."));
    }

    @Test
    void poolsOfSourcesThatDifferOnlyInTlsAreNotShared() {
        PostgresDriverPoolFactory factory = new PostgresDriverPoolFactory();
        ConnectionPoolId verify =
                poolId(factory, settings(PostgresSslMode.VERIFY_FULL, PEM).build());
        ConnectionPoolId otherCa =
                poolId(factory, settings(PostgresSslMode.VERIFY_FULL, OTHER_PEM).build());
        ConnectionPoolId disable =
                poolId(factory, settings(PostgresSslMode.DISABLE, null).build());
        assertThat(verify).isNotEqualTo(otherCa).isNotEqualTo(disable);
        assertThat(poolId(factory, settings(PostgresSslMode.VERIFY_FULL, PEM).build()))
                .isEqualTo(verify);
    }

    @Test
    void settingsRefuseDriverPropertiesTributarySetsItself() {
        assertThatThrownBy(() -> settings(PostgresSslMode.PREFER, null)
                        .driverProperty("sslmode", "disable")
                        .build())
                .hasMessageContaining("driver property 'sslmode' is set by Tributary itself");
    }

    private static ConnectionPoolId poolId(PostgresDriverPoolFactory factory, PostgresSourceSettings s) {
        return factory.getPoolId(
                config(s).getDbzConnectorConfig().getJdbcConfig(),
                factory.getClass().getName());
    }

    private static PostgresSourceConfig config(PostgresSourceSettings s) {
        return PostgresIncrementalSource.<ChangeEvent>builder()
                .hostname(s.hostname())
                .port(s.port())
                .database(s.database())
                .username(s.username())
                .password(s.password())
                .slotName(s.slotName())
                .decodingPluginName("pgoutput")
                .schemaList("public")
                .tableList("public\\.t")
                .debeziumProperties(PostgresSources.debeziumProperties(s, Map.of()))
                .getConfigFactory()
                .create(0);
    }

    private static String resource(String name) {
        try (InputStream in = PostgresConnectionPropertiesTest.class.getResourceAsStream("/tls/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PostgresSourceSettings.Builder settings(PostgresSslMode mode, String pem) {
        PostgresSourceSettings.Builder b = PostgresSourceSettings.builder()
                .hostname("db.example")
                .database("shop")
                .username("cdc")
                .password("secret")
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("public\\.t"))
                .sslMode(mode);
        return pem == null ? b : b.sslRootCert(pem);
    }
}
