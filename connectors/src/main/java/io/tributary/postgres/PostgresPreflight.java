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
 * <p>The values the libraries cannot carry are checked by {@link PostgresValueLimits}.
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
    /** Option names as the configuration reference spells them (group source.postgres). */
    static final String KEY_COLUMNS = "key-columns";

    static final String TABLES_INCLUDE = "tables.include";
    static final String TABLES_EXCLUDE = "tables.exclude";

    private PostgresPreflight() {}

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
            if (!tables.isEmpty()) {
                PostgresValueLimits.Findings values = PostgresValueLimits.check(
                        c,
                        settings,
                        tables.stream().map(PostgresCapturedTable::table).collect(Collectors.toList()));
                problems.addAll(values.problems);
                tables = withTextArrays(tables, values.textArrays);
            }
            if (!problems.isEmpty()) {
                throw new PostgresPreflightException("PostgreSQL " + where(settings)
                        + " is not ready for change capture:\n - " + String.join("\n - ", problems));
            }
            PostgresPublication.ensure(
                    c,
                    settings.publicationName(),
                    tables.stream().map(PostgresCapturedTable::table).collect(Collectors.toList()));
            return tables;
        } catch (SQLException e) {
            throw new PostgresPreflightException(
                    "start-up checks on PostgreSQL " + where(settings) + " failed: " + e.getMessage(), e);
        }
    }

    /** Gives each table its multi-dimensional array columns from {@code textArrays} ({@code schema.table.column}). */
    static List<PostgresCapturedTable> withTextArrays(List<PostgresCapturedTable> tables, List<String> textArrays) {
        return tables.stream()
                .map(t -> t.withTextArrays(textArrays.stream()
                        .filter(name -> name.startsWith(t.table() + ".")
                                && t.columns()
                                        .contains(name.substring(
                                                t.table().toString().length() + 1)))
                        .map(name -> name.substring(t.table().toString().length() + 1))
                        .collect(Collectors.toList())))
                .collect(Collectors.toList());
    }

    /**
     * Opens a connection, retrying {@code connectMaxRetries} times with doubling backoff from
     * {@code firstBackoff}; then fails naming host:port and the last cause.
     */
    public static Connection connect(PostgresSourceSettings settings, Duration firstBackoff) {
        Properties props = PostgresConnectionProperties.jdbc(settings, "tributary-preflight");
        Duration backoff = firstBackoff;
        SQLException last = null;
        boolean reauthenticated = false;
        for (int attempt = 0; attempt <= settings.connectMaxRetries(); attempt++) {
            if (attempt > 0) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            try {
                return DriverManager.getConnection(settings.jdbcUrl(), props);
            } catch (SQLException e) {
                last = e;
                if ("28P01".equals(e.getSQLState())
                        && !reauthenticated
                        && PostgresConnectionAuth.canReauthenticate(settings)) {
                    // the secret may have rotated since it was cached: read it again, once, before giving up
                    PostgresConnectionAuth.forgetCachedCredentials();
                    reauthenticated = true;
                    try {
                        return DriverManager.getConnection(settings.jdbcUrl(), props);
                    } catch (SQLException again) {
                        last = again;
                    }
                }
                if ("28P01".equals(last.getSQLState()) || "3D000".equals(last.getSQLState())) {
                    break; // wrong password or missing database: retrying cannot help
                }
                Optional<String> tls = PostgresTlsErrors.remedy(e, settings);
                if (tls.isPresent()) { // nor can it fix a certificate, a host name or TLS off
                    throw new PostgresPreflightException(
                            "cannot connect to PostgreSQL at " + where(settings) + ": "
                                    + String.valueOf(e.getMessage()).replaceAll("\\.+$", "") + ". " + tls.get(),
                            e);
                }
            }
        }
        throw new PostgresPreflightException(
                "cannot connect to PostgreSQL at " + where(settings) + " after "
                        + (settings.connectMaxRetries() + 1) + " attempt(s): "
                        + (last == null ? "" : String.valueOf(last.getMessage()).replaceAll("\\.+$", ""))
                        + ". Check hostname, port, database, username and password, and that the database accepts"
                        + " connections from this host (security group, pg_hba.conf)",
                last);
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
        try (PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return checkReplicationPrivilege(settings.username(), rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3));
        }
    }

    /**
     * Picks the captured tables out of {@code catalog} and checks their keys and replica identity: every
     * table needs a primary key or configured key columns that exist; a table keyed by configuration needs
     * REPLICA IDENTITY FULL; and no captured table may have a replica identity that makes PostgreSQL reject
     * its UPDATEs and DELETEs once it is published (NOTHING, a USING INDEX whose index was dropped, or the
     * default on a table without a primary key), because that would break the application writing to it.
     * Runs before the publication is created or altered, so a failed check changes nothing.
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
            int before = problems.size();
            checkReplicaIdentity(t, configured != null).ifPresent(problems::add);
            List<String> missing = configured == null
                    ? List.of()
                    : configured.stream().filter(k -> !t.columns().contains(k)).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                problems.add(KEY_COLUMNS + " for " + t.table() + " name " + missing + ", which the table does not"
                        + " have (its columns are " + t.columns() + "): fix " + KEY_COLUMNS + " in the configuration");
            }
            if (problems.size() == before) {
                captured.add(
                        configured != null
                                ? new PostgresCapturedTable(t.table(), configured, false, t.columns())
                                : new PostgresCapturedTable(t.table(), t.primaryKey(), true, t.columns()));
            }
        }
        for (Map.Entry<TableId, List<String>> e : settings.keyColumns().entrySet()) {
            boolean known =
                    catalog.stream().anyMatch(t -> t.table().equals(e.getKey()) && settings.captures(t.table()));
            if (!known) {
                problems.add(KEY_COLUMNS + " names " + e.getKey() + ", which is not a captured table:"
                        + " fix the table name there or the " + TABLES_INCLUDE + "/" + TABLES_EXCLUDE + " patterns");
            }
        }
        if (captured.isEmpty() && problems.isEmpty()) {
            problems.add("no table in database " + settings.database() + " matches " + TABLES_INCLUDE + " "
                    + settings.tableInclude()
                    + (settings.tableExclude().isEmpty()
                            ? ""
                            : " minus " + TABLES_EXCLUDE + " " + settings.tableExclude())
                    + " (patterns are regexes over schema.table); tables found: "
                    + catalog.stream().limit(20).map(t -> t.table().toString()).collect(Collectors.toList()));
        }
        if (!problems.isEmpty()) {
            throw new PostgresPreflightException(String.join("\n - ", problems));
        }
        return captured;
    }

    /**
     * The message when a captured table's replica identity would make PostgreSQL reject its UPDATEs and
     * DELETEs once it is published ("cannot update table … because it does not have a replica identity and
     * publishes updates"), or when it cannot give the change stream a key; else empty.
     *
     * @param keyedByConfiguration true when {@code key-columns} lists the table
     */
    public static Optional<String> checkReplicaIdentity(
            PostgresTableCatalog.TableInfo t, boolean keyedByConfiguration) {
        String name = sqlName(t.table());
        boolean hasKey = !t.primaryKey().isEmpty();
        String identity = t.replicaIdentity() == null ? "d" : t.replicaIdentity();
        String rejects = "once it is in the publication, PostgreSQL rejects every UPDATE and DELETE on it, so the"
                + " application writing to it would fail: ";
        String listKeys = " and list its key columns in " + KEY_COLUMNS + " ('" + t.table() + "(col1,col2)')";
        String fix = hasKey
                ? "run ALTER TABLE " + name + " REPLICA IDENTITY DEFAULT"
                : "run ALTER TABLE " + name + " REPLICA IDENTITY FULL" + (keyedByConfiguration ? "" : listKeys);
        if ("n".equals(identity)) {
            return Optional.of("table " + t.table() + " has REPLICA IDENTITY NOTHING: " + rejects + fix);
        }
        if ("i".equals(identity) && t.replicaIdentityIndex() == null) {
            return Optional.of("table " + t.table() + " has REPLICA IDENTITY USING INDEX, but that index was dropped,"
                    + " which PostgreSQL treats as NOTHING: " + rejects + fix);
        }
        if (hasKey || ("f".equals(identity) && keyedByConfiguration)) {
            return Optional.empty();
        }
        if ("d".equals(identity)) {
            return Optional.of("table " + t.table() + " has no primary key and not REPLICA IDENTITY FULL: " + rejects
                    + fix
                    + (keyedByConfiguration
                            ? ""
                            : ", or add a primary key (ALTER TABLE " + name + " ADD PRIMARY KEY (…))"));
        }
        // FULL without configured key columns, or USING INDEX on a table without a primary key: PostgreSQL
        // publishes its changes, but the job needs key columns and whole old rows.
        return Optional.of("table " + t.table() + " has no primary key: add one (ALTER TABLE " + name
                + " ADD PRIMARY KEY (…)), or "
                + ("f".equals(identity)
                        ? "list its key columns in " + KEY_COLUMNS + " ('" + t.table() + "(col1,col2)')"
                        : fix.substring("run ".length())));
    }

    /** {@code schema.table} as SQL, each part quoted where PostgreSQL needs it. */
    static String sqlName(TableId table) {
        return sqlIdentifier(table.schema()) + "." + sqlIdentifier(table.table());
    }

    static String sqlIdentifier(String part) {
        return part.matches("[a-z_][a-z0-9_$]*") ? part : "\"" + part.replace("\"", "\"\"") + "\"";
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
