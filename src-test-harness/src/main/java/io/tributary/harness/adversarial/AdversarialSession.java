package io.tributary.harness.adversarial;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One database session of the adversarial workload, on its own connection. It owns a disjoint
 * part of every table (ids {@code ≡ index mod sessions}, its own region of {@code adv_lines}), so
 * sessions never wait on each other and the same seed gives the same statements whatever the
 * interleaving. Each transaction is one of: a plain commit of 1–4 statements, a commit with a
 * savepoint rolled back in the middle, or a rollback. Statements: inserts, updates (a share with
 * odd values), deletes, primary-key updates, and doc updates that leave the TOASTed body alone.
 */
final class AdversarialSession implements AutoCloseable {
    private final int index;
    private final int sessions;
    private final AdversarialWorkload.Settings settings;
    private final AdversarialWorkload.Tally tally;
    private final Connection c;
    private final SplittableRandom r;
    private Keys keys = new Keys();
    private int fresh;

    /** The keys this session believes exist; copied to undo a rollback. */
    static final class Keys {
        final TreeSet<Integer> items = new TreeSet<>();
        final TreeSet<Integer> lines = new TreeSet<>();
        final TreeSet<Integer> docs = new TreeSet<>();
        final TreeSet<Integer> bigDocs = new TreeSet<>();
        final TreeSet<Integer> tags = new TreeSet<>();

        Keys copy() {
            Keys k = new Keys();
            k.items.addAll(items);
            k.lines.addAll(lines);
            k.docs.addAll(docs);
            k.bigDocs.addAll(bigDocs);
            k.tags.addAll(tags);
            return k;
        }
    }

    AdversarialSession(
            int index,
            int sessions,
            AdversarialWorkload.Settings settings,
            AdversarialWorkload.Tally tally,
            Connection c)
            throws SQLException {
        this.index = index;
        this.sessions = sessions;
        this.settings = settings;
        this.tally = tally;
        this.c = c;
        this.r = new SplittableRandom(settings.seed() * 31 + index);
        c.setAutoCommit(false);
        load(keys.items, "SELECT id FROM adv_items WHERE id % " + sessions + " = " + index + " AND id < 100000");
        load(keys.docs, "SELECT id FROM adv_docs WHERE id % " + sessions + " = " + index);
        load(keys.tags, "SELECT id FROM adv_tags WHERE id % " + sessions + " = " + index + " AND id < 100000");
        try (PreparedStatement ps = c.prepareStatement("SELECT line FROM adv_lines WHERE region = ?")) {
            ps.setString(1, AdversarialSchema.region(index));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.lines.add(rs.getInt(1));
                }
            }
        }
        c.commit();
    }

    private void load(TreeSet<Integer> into, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                into.add(rs.getInt(1));
            }
        }
    }

    int index() {
        return index;
    }

    /** Runs this session's transactions of one round; {@code big} adds one 10 MB doc first. */
    void round(boolean big) throws SQLException {
        if (big) {
            int id = freshId();
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO adv_docs (id, title, body, v) VALUES (?, ?, ?, 0)")) {
                ps.setInt(1, id);
                ps.setString(2, "big " + id);
                ps.setString(3, AdversarialValues.randomText(r, settings.bigValueBytes()));
                ps.executeUpdate();
            }
            c.commit();
            keys.docs.add(id);
            keys.bigDocs.add(id);
            tally.committed(1);
            tally.bigValues.incrementAndGet();
        }
        for (int t = 0; t < settings.transactionsPerRound(); t++) {
            transaction();
        }
    }

    /** Forgets the rows of tables another session truncated. */
    void truncated(boolean lines) {
        keys.tags.clear();
        if (lines) {
            keys.lines.clear();
        }
    }

    private void transaction() throws SQLException {
        int kind = r.nextInt(100);
        Keys before = keys.copy();
        try {
            if (kind < 70) {
                int changes = statements(1 + r.nextInt(4));
                c.commit();
                tally.committed(changes);
            } else if (kind < 85) {
                int changes = statements(1);
                try (Statement s = c.createStatement()) {
                    s.execute("SAVEPOINT sp");
                    Keys atSavepoint = keys.copy();
                    statements(1 + r.nextInt(2));
                    s.execute("ROLLBACK TO SAVEPOINT sp");
                    keys = atSavepoint;
                }
                changes += statements(1);
                c.commit();
                tally.committed(changes);
                tally.savepointsRolledBack.incrementAndGet();
            } else {
                statements(1 + r.nextInt(3));
                c.rollback();
                keys = before;
                tally.rolledBack.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** Runs {@code n} statements; returns the row changes they made (each statement changes one row). */
    private int statements(int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            int table = r.nextInt(100);
            if (table < 40) {
                items();
            } else if (table < 65) {
                lines();
            } else if (table < 80) {
                docs();
            } else {
                tags();
            }
        }
        return n;
    }

    private void items() throws SQLException {
        int op = keys.items.isEmpty() ? 0 : r.nextInt(100);
        if (op < 35) {
            int id = freshId();
            String[] v = AdversarialValues.itemValues(r, settings.oddValuePercent());
            List<String> args = new ArrayList<>(List.of(Integer.toString(id)));
            args.addAll(List.of(v));
            args.add(AdversarialValues.note(r));
            args.add("0");
            update(AdversarialSchema.INSERT_ITEM, args.toArray(new String[0]));
            keys.items.add(id);
        } else if (op < 75) {
            int id = pick(keys.items);
            String[] v = AdversarialValues.itemValues(r, settings.oddValuePercent());
            switch (r.nextInt(4)) {
                case 0:
                    update(
                            "UPDATE adv_items SET n = ?::numeric, nu = ?::numeric, v = v + 1 WHERE id = ?::int",
                            v[0],
                            v[1],
                            s(id));
                    break;
                case 1:
                    update(
                            "UPDATE adv_items SET f = ?::float8, ts = ?::timestamptz, v = v + 1 WHERE id = ?::int",
                            v[2],
                            v[3],
                            s(id));
                    break;
                case 2:
                    update(
                            "UPDATE adv_items SET d = ?::date, t = ?::time, note = ?::text, v = v + 1 WHERE id = ?::int",
                            v[4],
                            v[5],
                            AdversarialValues.note(r),
                            s(id));
                    break;
                default:
                    update("UPDATE adv_items SET v = v + 1 WHERE id = ?::int", s(id));
            }
        } else if (op < 90) {
            int id = pick(keys.items);
            update("DELETE FROM adv_items WHERE id = ?::int", s(id));
            keys.items.remove(id);
        } else {
            int id = pick(keys.items);
            int to = freshId();
            update("UPDATE adv_items SET id = ?::int, v = v + 1 WHERE id = ?::int", s(to), s(id));
            keys.items.remove(id);
            keys.items.add(to);
            tally.keyUpdates.incrementAndGet();
        }
    }

    private void lines() throws SQLException {
        String region = AdversarialSchema.region(index);
        int op = keys.lines.isEmpty() ? 0 : r.nextInt(100);
        if (op < 35) {
            int line = 1000 + fresh++;
            update(
                    "INSERT INTO adv_lines (region, line, qty, price) VALUES (?::text, ?::int, ?::int, ?::numeric)",
                    region,
                    s(line),
                    s(r.nextInt(1, 100)),
                    AdversarialValues.money(r));
            keys.lines.add(line);
        } else if (op < 70) {
            update(
                    "UPDATE adv_lines SET qty = ?::int WHERE region = ?::text AND line = ?::int",
                    s(r.nextInt(1, 100)),
                    region,
                    s(pick(keys.lines)));
        } else if (op < 85) {
            int line = pick(keys.lines);
            update("DELETE FROM adv_lines WHERE region = ?::text AND line = ?::int", region, s(line));
            keys.lines.remove(line);
        } else {
            int line = pick(keys.lines);
            int to = 1000 + fresh++;
            update(
                    "UPDATE adv_lines SET line = ?::int WHERE region = ?::text AND line = ?::int",
                    s(to),
                    region,
                    s(line));
            keys.lines.remove(line);
            keys.lines.add(to);
            tally.keyUpdates.incrementAndGet();
        }
    }

    private void docs() throws SQLException {
        int op = keys.docs.isEmpty() ? 0 : r.nextInt(100);
        if (op < 25) {
            int id = freshId();
            update(
                    "INSERT INTO adv_docs (id, title, body, v) VALUES (?::int, ?::text, ?::text, 0)",
                    s(id),
                    "doc " + id,
                    AdversarialValues.randomText(r, AdversarialValues.SMALL_BODY));
            keys.docs.add(id);
        } else if (op < 85) {
            // The body is not touched: the WAL carries it as an unchanged TOAST value.
            update(
                    "UPDATE adv_docs SET title = ?::text, v = v + 1 WHERE id = ?::int",
                    AdversarialValues.note(r) + "",
                    s(pick(keys.docs)));
            tally.unchangedToastUpdates.incrementAndGet();
        } else {
            int id = pick(keys.docs);
            update("DELETE FROM adv_docs WHERE id = ?::int", s(id));
            keys.docs.remove(id);
            keys.bigDocs.remove(id);
        }
    }

    private void tags() throws SQLException {
        int op = keys.tags.isEmpty() ? 0 : r.nextInt(100);
        if (op < 45) {
            int id = freshId();
            update("INSERT INTO adv_tags (id, label) VALUES (?::int, ?::text)", s(id), AdversarialValues.note(r));
            keys.tags.add(id);
        } else if (op < 80) {
            update(
                    "UPDATE adv_tags SET label = ?::text WHERE id = ?::int",
                    AdversarialValues.note(r),
                    s(pick(keys.tags)));
        } else {
            int id = pick(keys.tags);
            update("DELETE FROM adv_tags WHERE id = ?::int", s(id));
            keys.tags.remove(id);
        }
    }

    /** A never-used id this session owns (≡ index mod sessions), above the seeded ids. */
    private int freshId() {
        return 1_000 + (fresh++) * sessions + index;
    }

    private int pick(TreeSet<Integer> set) {
        int skip = r.nextInt(set.size());
        for (int k : set) {
            if (skip-- == 0) {
                return k;
            }
        }
        throw new IllegalStateException("empty key set");
    }

    private void update(String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                AdversarialSchema.bind(ps, i + 1, args[i]);
            }
            int n = ps.executeUpdate();
            if (n != 1) {
                throw new IllegalStateException("session " + index + " expected one row changed by " + sql + " "
                        + List.of(args).subList(0, Math.min(args.length, 3)) + ", got " + n);
            }
        }
    }

    private static String s(int v) {
        return Integer.toString(v);
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
