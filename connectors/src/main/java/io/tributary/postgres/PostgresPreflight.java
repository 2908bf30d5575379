package io.tributary.postgres;

import io.tributary.event.TableId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Start-up checks of the source database, run over JDBC before the job is built, so a misconfigured
 * database fails the deployment with a message that says what to fix instead of a failing source task.
 *
 * <p>Its one change to the database: it creates the publication, or sets its tables, because the source
 * must never alter it while running (see {@link PostgresPublication}).
 *
 * <p>Each check's logic is a static method over values read from the server, so unit tests can cover
 * states a running test server cannot be put in (such as {@code wal_level=replica}).
 */
public final class PostgresPreflight {
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private PostgresPreflight() {
    }

    /**
     * Runs every check, makes the publication publish exactly the captured tables ({@link PostgresPublication}),
     * and returns the captured tables with their key columns, or throws.
     */
    public static List<PostgresCapturedTable> run(PostgresSourceSettings settings) {
        try (Connection c = connect(settings, FIRST_BACKOFF)) {
            List<String> problems = new ArrayList<>();
            checkWalLevel(showSetting(c, "wal_level"), settings).ifPresent(problems::add);
            checkReplicationPrivilege(c, settings).ifPresent(problems::add);
            List<PostgresCapturedTable> tables = new ArrayList<>();
            try {
                tables = resolveTables(settings, PostgresTableCatalog.read(c));
            } catch (PostgresPreflightException e) {
                problems.add(e.getMessage());
            }
            if (!problems.isEmpty()) {
                throw new PostgresPreflightException("PostgreSQL " + where(settings) + " is not ready for change capture:\n - "
                        + String.join("\n - ", problems));
            }
            PostgresPublication.ensure(c, settings.publicationName(),
                    tables.stream().map(PostgresCapturedTable::table).collect(Collectors.toList()));
            return tables;
        } catch (SQLException e) {
            throw new PostgresPreflightException("start-up checks on PostgreSQL " + where(settings)
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a connection, retrying {@code connectMaxRetries} times with doubling backoff from
     * {@code firstBackoff}; then fails naming host:port and the last cause.
     */
    public static Connection connect(PostgresSourceSettings settings, Duration firstBackoff) {
        Properties props = new Properties();
        props.setProperty("user", settings.username());
        props.setProperty("password", settings.password());
        long timeoutSeconds = Math.max(1, settings.connectTimeout().toSeconds());
        props.setProperty("connectTimeout", Long.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Long.toString(timeoutSeconds));
        props.setProperty("ApplicationName", "tributary-preflight");
        Duration backoff = firstBackoff;
        SQLException last = null;
        for (int attempt = 0; attempt <= settings.connectMaxRetries(); attempt++) {
            if (attempt > 0) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            try {
                return DriverManager.getConnection(settings.jdbcUrl(), props);
            } catch (SQLException e) {
                last = e;
                if ("28P01".equals(e.getSQLState()) || "3D000".equals(e.getSQLState())) {
                    break; // wrong password or missing database: retrying cannot help
                }
            }
        }
        throw new PostgresPreflightException("cannot connect to PostgreSQL at " + where(settings) + " after "
                + (settings.connectMaxRetries() + 1) + " attempt(s): "
                + (last == null ? "" : String.valueOf(last.getMessage()).replaceAll("\\.+$", ""))
                + ". Check hostname, port, database, username and password, and that the database accepts"
                + " connections from this host (security group, pg_hba.conf)", last);
    }

    /** The message for a {@code wal_level} other than logical, or empty. */
    public static Optional<String> checkWalLevel(String walLevel, PostgresSourceSettings settings) {
        if ("logical".equalsIgnoreCase(walLevel)) {
            return Optional.empty();
        }
        return Optional.of("wal_level is '" + walLevel + "' on " + where(settings) + ", but change capture needs"
                + " 'logical': run ALTER SYSTEM SET wal_level = logical (or set it in postgresql.conf) and restart"
                + " the server; on Amazon RDS or Aurora set rds.logical_replication = 1 in the DB parameter group"
                + " and reboot the instance");
    }

    /** The message when the user may not stream changes, or empty. */
    public static Optional<String> checkReplicationPrivilege(
            String user, boolean replication, boolean superuser, boolean rdsReplication) {
        if (replication || superuser || rdsReplication) {
            return Optional.empty();
        }
        return Optional.of("role " + user + " may not read the replication stream: run ALTER ROLE " + user
                + " WITH REPLICATION (on Amazon RDS or Aurora: GRANT rds_replication TO " + user + ")");
    }

    private static Optional<String> checkReplicationPrivilege(Connection c, PostgresSourceSettings settings)
            throws SQLException {
        String sql = "SELECT r.rolreplication, r.rolsuper,"
                + " EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'rds_replication'"
                + "   AND pg_has_role(r.oid, g.oid, 'MEMBER'))"
                + " FROM pg_roles r WHERE r.rolname = current_user";
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return checkReplicationPrivilege(settings.username(), rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3));
        }
    }

    /**
     * Picks the captured tables out of {@code catalog} and checks their keys: every table needs a primary key
     * or configured key columns that exist, and a table keyed by configuration needs REPLICA IDENTITY FULL.
     */
    public static List<PostgresCapturedTable> resolveTables(
            PostgresSourceSettings settings, List<PostgresTableCatalog.TableInfo> catalog) {
        List<String> problems = new ArrayList<>();
        List<PostgresCapturedTable> captured = new ArrayList<>();
        for (PostgresTableCatalog.TableInfo t : catalog) {
            if (!settings.captures(t.table())) {
                continue;
            }
            List<String> configured = settings.keyColumns().get(t.table());
            if (configured != null) {
                List<String> missing = configured.stream()
                        .filter(k -> !t.columns().contains(k)).collect(Collectors.toList());
                if (!missing.isEmpty()) {
                    problems.add("keyColumns for " + t.table() + " name " + missing + ", which the table does not"
                            + " have (its columns are " + t.columns() + "): fix the key columns in the configuration");
                    continue;
                }
                if (t.primaryKey().isEmpty() && !"f".equals(t.replicaIdentity())) {
                    problems.add("table " + t.table() + " has no primary key, so PostgreSQL cannot publish its"
                            + " updates and deletes: run ALTER TABLE " + t.table() + " REPLICA IDENTITY FULL");
                    continue;
                }
                captured.add(new PostgresCapturedTable(t.table(), configured, false, t.columns()));
            } else if (t.primaryKey().isEmpty()) {
                problems.add("table " + t.table() + " has no primary key: add a primary key, or list key columns"
                        + " for it in the source configuration's keyColumns (and set REPLICA IDENTITY FULL)");
            } else {
                captured.add(new PostgresCapturedTable(t.table(), t.primaryKey(), true, t.columns()));
            }
        }
        for (Map.Entry<TableId, List<String>> e : settings.keyColumns().entrySet()) {
            boolean known = catalog.stream().anyMatch(t -> t.table().equals(e.getKey()) && settings.captures(t.table()));
            if (!known) {
                problems.add("keyColumns are configured for " + e.getKey() + ", which is not a captured table:"
                        + " fix the table name or the include/exclude patterns");
            }
        }
        if (captured.isEmpty() && problems.isEmpty()) {
            problems.add("no table in database " + settings.database() + " matches tableInclude "
                    + settings.tableInclude() + (settings.tableExclude().isEmpty() ? "" : " minus tableExclude "
                    + settings.tableExclude()) + " (patterns are regexes over schema.table); tables found: "
                    + catalog.stream().limit(20).map(t -> t.table().toString()).collect(Collectors.toList()));
        }
        if (!problems.isEmpty()) {
            throw new PostgresPreflightException(String.join("\n - ", problems));
        }
        return captured;
    }

    private static String showSetting(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT current_setting(?)")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String where(PostgresSourceSettings settings) {
        return settings.hostname() + ":" + settings.port() + "/" + settings.database();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresPreflightException("interrupted while waiting to reconnect", e);
        }
    }
}
