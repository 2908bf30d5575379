package io.tributary.harness.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes a fixed number of changes to the demo {@code orders} table inside the server (a
 * PL/pgSQL procedure that commits every {@code perTransaction} changes), so producing a million
 * one-row transactions costs no client round trips and the measurement is of the reader only.
 * The mix is exactly 40% inserts, 40% updates, 20% deletes: per five changes, insert k and k+1,
 * update both, delete k.
 */
final class CeilingChanges {
    private static final String PROCEDURE = "CREATE OR REPLACE PROCEDURE ceiling_changes(n bigint, per_txn int)"
            + " LANGUAGE plpgsql AS $$ DECLARE i bigint; k bigint; BEGIN"
            + " FOR i IN 0..n - 1 LOOP"
            + "  k := (i / 5) * 2 + 1;"
            + "  CASE i % 5"
            + "   WHEN 0, 1 THEN INSERT INTO public.orders (id, customer_id, status, total, exchange_rate,"
            + "     placed_at, placed_local, ship_by, priority, is_gift, line_counts, metadata)"
            + "     VALUES (k + i % 5, i % 10000, 'pending', 19.99, 1.23456789, now(), localtimestamp,"
            + "     current_date, 1, false, '{1,2,3}', '{\"channel\": \"web\", \"items\": 2}');"
            + "   WHEN 2 THEN UPDATE public.orders SET status = 'paid', total = total + 1 WHERE id = k;"
            + "   WHEN 3 THEN UPDATE public.orders SET status = 'shipped', ship_by = NULL WHERE id = k + 1;"
            + "   ELSE DELETE FROM public.orders WHERE id = k;"
            + "  END CASE;"
            + "  IF (i + 1) % per_txn = 0 THEN COMMIT; END IF;"
            + " END LOOP;"
            + " COMMIT;"
            + " END $$";

    private CeilingChanges() {}

    /** Writes {@code changes} changes in transactions of {@code perTransaction}; needs autocommit. */
    static void write(Connection conn, long changes, int perTransaction) throws SQLException {
        if (!conn.getAutoCommit()) {
            throw new IllegalArgumentException("CALL with COMMIT inside needs an autocommit connection");
        }
        try (Statement s = conn.createStatement()) {
            s.execute(PROCEDURE);
            s.execute("CALL ceiling_changes(" + changes + ", " + perTransaction + ")");
        }
    }
}
