package io.tributary.harness.adversarial;

import io.tributary.event.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The adversarial workload's tables, all REPLICA IDENTITY DEFAULT (old image = key only):
 * <ul>
 *   <li>{@code adv_items}: the odd values (numeric NaN, float8 NaN/±Infinity, timestamptz and date
 *   ±infinity, BC dates, time 24:00:00). Not unconstrained numeric ±Infinity: once a row holds it,
 *   every later UPDATE of the row streams it again and Debezium 1.9.8's pgoutput decoder stops on it
 *   (docs/formats/README.md, "Values the libraries stop"); {@code ValueKindsITCase} covers it from the
 *   snapshot;</li>
 *   <li>{@code adv_lines}: a composite key {@code (region text, line int)}, region names with a quote;</li>
 *   <li>{@code adv_docs}: a TOASTed {@code body} (random text, so compression cannot keep it inline;
 *   a few are 10 MB), updated without touching the body;</li>
 *   <li>{@code adv_tags}: a small table the workload truncates.</li>
 * </ul>
 */
public final class AdversarialSchema {
    public static final TableId ITEMS = new TableId("public", "adv_items");
    public static final TableId LINES = new TableId("public", "adv_lines");
    public static final TableId DOCS = new TableId("public", "adv_docs");
    public static final TableId TAGS = new TableId("public", "adv_tags");
    public static final List<TableId> TABLES = List.of(ITEMS, LINES, DOCS, TAGS);
    /** The job's {@code tables.include} pattern for these tables. */
    public static final String INCLUDE = "public\\.adv_(items|lines|docs|tags)";
    /** DynamoDB read-model mappings, one target table per source table. */
    public static final List<String> DYNAMODB_MAPPINGS = List.of(
            "public.adv_items=adv_items;partition=id:N",
            "public.adv_lines=adv_lines;partition=region:S;sort=line:N",
            "public.adv_docs=adv_docs;partition=id:N",
            "public.adv_tags=adv_tags;partition=id:N");

    static final String INSERT_ITEM = "INSERT INTO adv_items (id, n, nu, f, ts, d, t, note, v) VALUES "
            + "(?::int, ?::numeric, ?::numeric, ?::float8, ?::timestamptz, ?::date, ?::time, ?::text, ?::int)";

    private AdversarialSchema() {}

    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE adv_items (id int PRIMARY KEY, n numeric(10,2), nu numeric, f float8,"
                    + " ts timestamptz, d date, t time, note text, v int NOT NULL)");
            s.execute("CREATE TABLE adv_lines (region text, line int, qty int NOT NULL, price numeric(12,2),"
                    + " PRIMARY KEY (region, line))");
            s.execute("CREATE TABLE adv_docs (id int PRIMARY KEY, title text NOT NULL, body text, v int NOT NULL)");
            s.execute("CREATE TABLE adv_tags (id int PRIMARY KEY, label text)");
            for (TableId t : TABLES) {
                s.execute("ALTER TABLE " + t + " REPLICA IDENTITY DEFAULT");
            }
        }
        commitIfNeeded(c);
    }

    /**
     * Rows the job will read as its snapshot: items 1..24 (the first ones hold every odd value),
     * lines of regions {@code region(0..2)}, docs 1..4 with 3,000-character bodies, tags 1..6.
     *
     * @param oddValues whether the first items hold the odd values (else ordinary ones)
     * @return rows per table
     */
    public static Map<TableId, Long> seed(Connection c, long seed, boolean oddValues) throws SQLException {
        SplittableRandom r = new SplittableRandom(seed);
        String[][] odd = {
            {"NaN", "NaN", "NaN", "infinity", "infinity", "24:00:00"},
            {"NaN", "NaN", "Infinity", "-infinity", "-infinity", "00:00:00"},
            {"1.25", "NaN", "-Infinity", "2020-02-29 12:00:00+00", "0044-03-15 BC", "24:00:00"},
        };
        try (PreparedStatement ps = c.prepareStatement(INSERT_ITEM)) {
            for (int id = 1; id <= 24; id++) {
                String[] row = oddValues && id <= odd.length ? odd[id - 1] : AdversarialValues.itemValues(r, 0);
                bind(ps, 1, Integer.toString(id));
                for (int i = 0; i < 6; i++) {
                    bind(ps, i + 2, row[i]);
                }
                bind(ps, 8, AdversarialValues.note(r));
                bind(ps, 9, "0");
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO adv_lines (region, line, qty, price) VALUES (?, ?::int, ?::int, ?::numeric)")) {
            for (int session = 0; session < 3; session++) {
                for (int line = 1; line <= 4; line++) {
                    ps.setString(1, region(session));
                    bind(ps, 2, Integer.toString(line));
                    bind(ps, 3, Integer.toString(r.nextInt(1, 100)));
                    bind(ps, 4, AdversarialValues.money(r));
                    ps.executeUpdate();
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO adv_docs (id, title, body, v) VALUES (?, ?, ?, 0)")) {
            for (int id = 1; id <= 4; id++) {
                ps.setInt(1, id);
                ps.setString(2, "doc " + id);
                ps.setString(3, AdversarialValues.randomText(r, AdversarialValues.SMALL_BODY));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO adv_tags (id, label) VALUES (?, ?)")) {
            for (int id = 1; id <= 6; id++) {
                ps.setInt(1, id);
                ps.setString(2, AdversarialValues.note(r));
                ps.executeUpdate();
            }
        }
        commitIfNeeded(c);
        Map<TableId, Long> rows = new LinkedHashMap<>();
        rows.put(ITEMS, 24L);
        rows.put(LINES, 12L);
        rows.put(DOCS, 4L);
        rows.put(TAGS, 6L);
        return rows;
    }

    /** The composite-key region a session owns; one has a quote in it. */
    public static String region(int session) {
        return session == 1 ? "north's" : "r" + session;
    }

    static void bind(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setObject(index, value, Types.OTHER);
        }
    }

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
