package io.tributary.job.sequencer;

import io.tributary.event.ChangeEvent;
import io.tributary.event.TableId;

import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs before the sequencer's keyBy and turns every TRUNCATE into one copy per sequencer subtask;
 * every other event passes unchanged.
 *
 * <p>Why: rows are spread over the sequencer's subtasks by {@code keyBy(sequencerKey)}, so a keyed
 * TRUNCATE would reach one subtask only, and the others could write a truncated row's older change
 * after the TRUNCATE took effect. Copy {@code i} gets a key ({@code schema.table}, a NUL and a
 * number) that {@link KeyGroupRangeAssignment} sends to subtask {@code i}. Every channel from a
 * source subtask to a sequencer subtask is first-in first-out, so each subtask sees its copy after
 * every earlier change of its own rows and before every later one. Copies keep the event id; the
 * event log and the stream write copy 0, the DynamoDB writers apply every copy.
 *
 * <p>The copy keys are computed with this operator's own parallelism and max parallelism, which
 * must equal the sequencer's: the topology gives both the job's default parallelism and chains this
 * operator to the source, so both vertices get the same (or the same restored) max parallelism. The
 * sequencer checks each copy it receives ({@link RowSequencer}) and fails loudly if they differ.
 */
public final class TruncateFanOut extends RichFlatMapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;

    private transient int parallelism;
    private transient int maxParallelism;
    private transient Map<TableId, String[]> keys;

    @Override
    public void open(Configuration parameters) {
        parallelism = getRuntimeContext().getNumberOfParallelSubtasks();
        maxParallelism = getRuntimeContext().getMaxNumberOfParallelSubtasks();
        keys = new HashMap<>();
    }

    @Override
    public void flatMap(ChangeEvent event, Collector<ChangeEvent> out) {
        if (!event.isTruncate()) {
            out.collect(event);
            return;
        }
        String[] copyKeys =
                keys.computeIfAbsent(event.table(), t -> copyKeys(event.routingKey(), parallelism, maxParallelism));
        for (int i = 0; i < copyKeys.length; i++) {
            out.collect(event.toBuilder()
                    .truncateCopy(i, copyKeys.length, copyKeys[i])
                    .build());
        }
    }

    /** For each subtask {@code i} of {@code parallelism}, a key that key-group assignment sends to {@code i}. */
    public static String[] copyKeys(String table, int parallelism, int maxParallelism) {
        String[] found = new String[parallelism];
        int missing = parallelism;
        for (int salt = 0; missing > 0; salt++) {
            String key = table + '\u0000' + salt;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
            if (found[subtask] == null) {
                found[subtask] = key;
                missing--;
            }
        }
        return found;
    }
}
