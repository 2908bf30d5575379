package io.tributary.postgres;

import io.tributary.postgres.auth.PostgresAuthProperties;

import org.apache.flink.cdc.connectors.base.config.JdbcSourceConfig;
import org.apache.flink.cdc.connectors.postgres.source.PostgresConnectionPoolFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Flink CDC's Hikari pool for PostgreSQL, whose connections also carry the authentication plugin's properties.
 *
 * <p>Flink CDC 3.5's {@code JdbcConnectionPoolFactory.createPooledDataSource} gives Hikari only the URL, user, password
 * and three fixed driver properties, never the {@code database.*} Debezium properties, so without this the snapshot
 * and schema connections would log in with the (empty) builder password. This repeats that method and adds every
 * {@code database.<key>} Debezium property that {@link PostgresAuthProperties#isAuthProperty} names. The properties
 * are read from the config each pool is made for, not kept here: Flink CDC keeps one factory per class name and one
 * pool per host, port, user and database in static maps (JdbcConnectionPools), across jobs in the same JVM.
 */
final class PostgresAuthPoolFactory extends PostgresConnectionPoolFactory {
    @Override
    public HikariDataSource createPooledDataSource(JdbcSourceConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("connection-pool-" + config.getHostname() + ":" + config.getPort());
        hikari.setJdbcUrl(getJdbcUrl(config));
        hikari.setUsername(config.getUsername());
        hikari.setPassword(config.getPassword());
        hikari.setMinimumIdle(1);
        hikari.setMaximumPoolSize(config.getConnectionPoolSize());
        hikari.setConnectionTimeout(config.getConnectTimeout().toMillis());
        hikari.setDriverClassName(config.getDriverClassName());
        hikari.addDataSourceProperty("serverTimezone", config.getServerTimeZone());
        hikari.addDataSourceProperty("cachePrepStmts", "true");
        hikari.addDataSourceProperty("prepStmtCacheSize", "250");
        hikari.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        config.getDbzProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("database.")
                        && PostgresAuthProperties.isAuthProperty(k.substring("database.".length())))
                .forEach(k -> hikari.addDataSourceProperty(k.substring("database.".length()),
                        config.getDbzProperties().getProperty(k)));
        return new HikariDataSource(hikari);
    }
}
