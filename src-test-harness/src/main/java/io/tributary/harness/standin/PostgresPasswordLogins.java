package io.tributary.harness.standin;

import io.tributary.harness.Deadline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Makes a {@link PostgresStandIn} check passwords. The embedded server is initialised with {@code trust}, which
 * accepts any password, so a test of authentication would pass whatever the job sent; this rewrites
 * {@code pg_hba.conf} to SCRAM for TCP logins (replication included) and reloads it.
 */
public final class PostgresPasswordLogins {
    private PostgresPasswordLogins() {}

    /** From now on every TCP login, replication included, needs its role's password (SCRAM-SHA-256). */
    public static void require(PostgresStandIn pg) {
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET password_encryption = 'scram-sha-256'");
            s.execute("SELECT pg_reload_conf()");
            // stored again, now as a SCRAM verifier, so the harness's own connections keep working
            s.execute("ALTER USER " + PostgresStandIn.USER + " PASSWORD '" + PostgresStandIn.PASSWORD + "'");
            String hbaFile;
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hbaFile = rs.getString(1);
            }
            Files.writeString(
                    Path.of(hbaFile),
                    String.join(
                            "\n",
                            "local all all trust",
                            "host all all 127.0.0.1/32 scram-sha-256",
                            "host all all ::1/128 scram-sha-256",
                            "host replication all 127.0.0.1/32 scram-sha-256",
                            "host replication all ::1/128 scram-sha-256",
                            ""),
                    StandardCharsets.US_ASCII);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not switch PostgreSQL to password logins", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write pg_hba.conf", e);
        }
        // the postmaster reloads on a signal: wait until a wrong password is refused
        try {
            Deadline.of(Duration.ofSeconds(30)).await("PostgreSQL to refuse a wrong password", () -> {
                Properties wrong = new Properties();
                wrong.setProperty("user", PostgresStandIn.USER);
                wrong.setProperty("password", "not-" + PostgresStandIn.PASSWORD);
                try (Connection ignored = DriverManager.getConnection(pg.jdbcUrl("postgres"), wrong)) {
                    return false;
                } catch (SQLException e) {
                    return "28P01".equals(e.getSQLState());
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL did not start checking passwords", e);
        }
    }
}
