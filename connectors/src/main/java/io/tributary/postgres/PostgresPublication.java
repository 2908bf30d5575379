package io.tributary.postgres;

import io.tributary.event.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Makes the publication the source reads publish exactly the captured tables, once, before the job starts.
 *
 * <p>Why not let Debezium manage it ({@code publication.autocreate.mode=filtered}): Flink CDC runs every
 * snapshot split's backfill as a Debezium stream restricted to that split's table, and in filtered mode each
 * of them runs {@code ALTER PUBLICATION ... SET TABLE <that table>}; only the stream split later sets all
 * tables again. pgoutput decides what to send with the publication as it was at each change's WAL
 * position, so every change to the other tables committed between the last backfill and the start of the
 * stream split was never sent, and was lost. The source therefore runs with autocreate disabled (see
 * {@link PostgresSources}) and this class keeps the publication right from outside the job.
 */
public final class PostgresPublication {
    private PostgresPublication() {}

    /** What the server holds under a publication's name. */
    public static final class State {
        final boolean exists;
        final boolean allTables;
        final boolean publishesAllChanges;
        final Set<TableId> tables;

        private State(boolean exists, boolean allTables, boolean publishesAllChanges, Set<TableId> tables) {
            this.exists = exists;
            this.allTables = allTables;
            this.publishesAllChanges = publishesAllChanges;
            this.tables = tables;
        }

        /** The tables it publishes (empty for FOR ALL TABLES or a missing publication). */
        public Set<TableId> tables() {
            return tables;
        }

        public static State missing() {
            return new State(false, false, false, Set.of());
        }

        /** An existing publication; {@code publishesAllChanges} when it publishes inserts, updates, deletes and truncates. */
        public static State of(boolean allTables, boolean publishesAllChanges, Collection<TableId> tables) {
            return new State(true, allTables, publishesAllChanges, new TreeSet<>(tables));
        }
    }

    /** Creates or alters publication {@code name} so it publishes every change of exactly {@code captured}. */
    public static void ensure(Connection c, String name, List<TableId> captured) throws SQLException {
        Optional<String> sql = statement(name, read(c, name), captured);
        if (sql.isPresent()) {
            try (Statement s = c.createStatement()) {
                s.execute(sql.get());
            } catch (SQLException e) {
                throw new PostgresPreflightException(
                        "cannot run " + sql.get() + ": " + e.getMessage()
                                + ". Run it as the owner of those tables (or a superuser), then start the job again",
                        e);
            }
        }
    }

    /**
     * The statement that makes publication {@code name} publish exactly {@code captured}, or empty when it
     * already does (a FOR ALL TABLES publication covers them too).
     *
     * @throws PostgresPreflightException when the publication exists but leaves out inserts, updates, deletes or
     *     truncates
     */
    public static Optional<String> statement(String name, State state, List<TableId> captured) {
        String tables = captured.stream().map(PostgresPublication::quote).collect(Collectors.joining(", "));
        if (!state.exists) {
            return Optional.of("CREATE PUBLICATION " + quoteIdent(name) + " FOR TABLE " + tables);
        }
        if (!state.publishesAllChanges) {
            throw new PostgresPreflightException("publication " + name + " does not publish every insert, update,"
                    + " delete and truncate, so changes would be lost: run ALTER PUBLICATION " + quoteIdent(name)
                    + " SET (publish = 'insert, update, delete, truncate')");
        }
        if (state.allTables || state.tables.equals(new TreeSet<>(captured))) {
            return Optional.empty();
        }
        return Optional.of("ALTER PUBLICATION " + quoteIdent(name) + " SET TABLE " + tables);
    }

    /** Reads publication {@code name} from the catalog. */
    public static State read(Connection c, String name) throws SQLException {
        boolean allTables;
        boolean publishesAll;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT puballtables, pubinsert AND pubupdate AND pubdelete AND pubtruncate FROM pg_publication WHERE pubname = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return State.missing();
                }
                allTables = rs.getBoolean(1);
                publishesAll = rs.getBoolean(2);
            }
        }
        Set<TableId> tables = new LinkedHashSet<>();
        try (PreparedStatement s =
                c.prepareStatement("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableId(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return State.of(allTables, publishesAll, new ArrayList<>(tables));
    }

    private static String quote(TableId table) {
        return quoteIdent(table.schema()) + "." + quoteIdent(table.table());
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
