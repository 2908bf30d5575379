package io.tributary.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.debezium.jdbc.JdbcConfiguration;
import org.apache.flink.cdc.connectors.base.config.JdbcSourceConfig;
import org.apache.flink.cdc.connectors.base.relational.connection.ConnectionPoolId;
import org.apache.flink.cdc.connectors.postgres.source.PostgresConnectionPoolFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flink CDC's snapshot connection pool, with the driver properties Debezium's connections get.
 *
 * <p>Flink CDC 3.5's {@code JdbcConnectionPoolFactory.createPooledDataSource} gives HikariCP only a URL, user,
 * password and MySQL-style data-source properties, so the snapshot's connections would ignore {@code sslmode}.
 * This factory builds the same pool plus every {@code database.*} pass-through property of the source's Debezium
 * configuration ({@link PostgresConnectionProperties#debezium}), read back from the config it is handed: pools are
 * JVM-wide ({@code JdbcConnectionPools}, one factory instance per class), so the factory holds no state of its own.
 * For the same reason the pool's id carries a digest of those properties: two sources with different TLS settings
 * for one database never share a pool.
 */
final class PostgresDriverPoolFactory extends PostgresConnectionPoolFactory {
    /** Debezium keys under {@code database.} that are not driver properties, or that the pool sets itself. */
    private static final Set<String> NOT_PASSED =
            Set.of("hostname", "port", "user", "password", "dbname", "server.name", "history");

    @Override
    public HikariDataSource createPooledDataSource(JdbcSourceConfig sourceConfig) {
        // As JdbcConnectionPoolFactory.createPooledDataSource (Flink CDC 3.5) builds it, plus the driver properties.
        HikariConfig config = new HikariConfig();
        config.setPoolName(CONNECTION_POOL_PREFIX + sourceConfig.getHostname() + ":" + sourceConfig.getPort());
        config.setJdbcUrl(getJdbcUrl(sourceConfig));
        config.setUsername(sourceConfig.getUsername());
        config.setPassword(sourceConfig.getPassword());
        config.setMinimumIdle(MINIMUM_POOL_SIZE);
        config.setMaximumPoolSize(sourceConfig.getConnectionPoolSize());
        config.setConnectionTimeout(sourceConfig.getConnectTimeout().toMillis());
        config.setDriverClassName(sourceConfig.getDriverClassName());
        driverProperties(sourceConfig.getDbzProperties()).forEach(config::addDataSourceProperty);
        return new HikariDataSource(config);
    }

    @Override
    public ConnectionPoolId getPoolId(JdbcConfiguration config, String dataSourcePoolFactoryIdentifier) {
        Map<String, String> driver = new TreeMap<>();
        config.asMap().forEach((k, v) -> {
            if (!NOT_PASSED.contains(k) && !k.startsWith("history.") && !k.equals("ApplicationName")) {
                driver.put(k, v);
            }
        });
        return new ConnectionPoolId(
                config.getHostname(),
                config.getPort(),
                config.getUser() + "#" + digest(driver),
                config.getDatabase(),
                dataSourcePoolFactoryIdentifier);
    }

    /** The {@code database.*} keys of Debezium's configuration that Debezium would pass to the driver. */
    static Map<String, String> driverProperties(Properties debezium) {
        Map<String, String> driver = new TreeMap<>();
        for (String key : debezium.stringPropertyNames()) {
            if (key.startsWith(PostgresConnectionProperties.DEBEZIUM_PREFIX)) {
                String k = key.substring(PostgresConnectionProperties.DEBEZIUM_PREFIX.length());
                if (!NOT_PASSED.contains(k) && !k.startsWith("history.")) {
                    driver.put(k, debezium.getProperty(key));
                }
            }
        }
        return driver;
    }

    private static String digest(Map<String, String> properties) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            properties.forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            StringBuilder hex = new StringBuilder();
            for (byte b : sha.digest()) {
                hex.append(String.format("%02x", b));
            }
            return hex.substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
