package io.tributary.harness.adversarial;

import io.tributary.event.Op;
import io.tributary.event.TableId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The changes a destination must hold, from the database's own decoding ({@link TestDecodingSlot}).
 * One rule turns decoded changes into row events: an UPDATE that changes the primary key is a
 * DELETE of the old key and an INSERT of the new one, in that order (the row's identity is its key,
 * and Debezium emits a key change the same way). Tables not in {@code keyColumns} are left out.
 */
public final class DecodedOracle {
    private DecodedOracle() {}

    public static List<ChangeFact> expected(List<DecodedChange> decoded, Map<TableId, List<String>> keyColumns) {
        List<ChangeFact> out = new ArrayList<>();
        for (DecodedChange c : decoded) {
            List<String> keys = keyColumns.get(c.table());
            if (keys == null) {
                continue;
            }
            String where = "decoded #" + c.ordinal() + " at " + c.lsn();
            List<String> key = c.key(keys);
            List<String> before = c.keyBefore(keys);
            if (c.op() == Op.UPDATE && !before.equals(key)) {
                out.add(new ChangeFact(c.table(), before, Op.DELETE, c.xid(), where + " (key update, old key)"));
                out.add(new ChangeFact(c.table(), key, Op.INSERT, c.xid(), where + " (key update, new key)"));
            } else {
                out.add(new ChangeFact(c.table(), key, c.op(), c.xid(), where));
            }
        }
        return out;
    }
}
