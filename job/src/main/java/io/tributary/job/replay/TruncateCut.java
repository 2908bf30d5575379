package io.tributary.job.replay;

import io.tributary.event.ChangeEvent;

import org.apache.flink.api.common.functions.FilterFunction;

import java.util.HashMap;
import java.util.Map;

/**
 * Before the DynamoDB sink of a replay: of a table with a TRUNCATE in the replayed range, keeps only
 * the last TRUNCATE and the changes after it.
 *
 * <p>Why this gives the read model streaming gives: the TRUNCATE's writes are fenced deletes of
 * versions below it, and those commute with every write of a higher version, so the replay need
 * not order them across rows; but a write below the TRUNCATE could land after its scan and bring a
 * truncated row back. Dropping those writes (and the earlier TRUNCATEs, which the last one
 * subsumes) removes the only ordering the replay could not keep. The Kinesis sink gets every event.
 */
final class TruncateCut implements FilterFunction<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /** Table ({@code schema.table}) to the position {commitLsn, changeLsn} of its last TRUNCATE in range. */
    private final HashMap<String, long[]> cuts;

    TruncateCut(Map<String, ChangeEvent> lastTruncates) {
        this.cuts = new HashMap<>();
        lastTruncates.forEach((table, t) -> cuts.put(table, new long[] {t.commitLsn(), t.changeLsn()}));
    }

    @Override
    public boolean filter(ChangeEvent e) {
        long[] cut = cuts.get(e.table().toString());
        if (cut == null) {
            return true;
        }
        if (e.isTruncate()) {
            return e.commitLsn() == cut[0] && e.changeLsn() == cut[1];
        }
        return e.isAfter(cut[0], cut[1]);
    }
}
