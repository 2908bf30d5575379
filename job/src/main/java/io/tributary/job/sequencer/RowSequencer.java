package io.tributary.job.sequencer;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.RowState;
import io.tributary.event.TableId;
import io.tributary.event.serde.RowStateSerializer;

import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Keyed by {@link ChangeEvent#routingKey()} (table and primary key), keeps per row the position and
 * image after the last change it let through, and with them:
 *
 * <ul>
 *   <li>drops any event at or below that position (a source replay after restore);
 *   <li>sets the old image of UPDATE and DELETE to the last known image, because with REPLICA
 *       IDENTITY DEFAULT PostgreSQL sends only the key columns (or nothing) as the old row;
 *   <li>replaces {@link Row#UNCHANGED_TOAST} in the new image with the last known value.
 * </ul>
 *
 * <p>So every event downstream carries full old and new images without REPLICA IDENTITY FULL. The
 * old image is only as complete as the state: a row first seen by an UPDATE or DELETE (captured
 * without a snapshot, or after its state expired, or of a newly added table) keeps what the database
 * sent. An unchanged TOASTed value that no earlier image holds is <em>unknown</em>, never written as
 * NULL: its slot in the new image is null and the event lists the column in
 * {@link ChangeEvent#unknownColumns()}, so each sink can leave what it already holds (DynamoDB updates
 * instead of replacing the item). The state keeps such a column as {@link Row#UNCHANGED_TOAST}, so it
 * stays unknown until a change sends its value; in an old image it is null. Counted per table in
 * {@value #METRIC_TOAST_UNKNOWN}.
 *
 *
 * <p>A TRUNCATE reaches every subtask as its own copy ({@link TruncateFanOut}) and passes through
 * untouched and unstored; copy 0 counts it ({@code truncates} per table). The row states of the
 * truncated rows are not cleared, and need not be: after a TRUNCATE the next change of a row can
 * only be an INSERT, which carries every value (no TOAST placeholder) and takes no old image, and
 * whose position is above the stale state's, so the stale state neither fills nor drops anything.
 * It only holds memory until the key is written again or {@code sequencer.state.ttl} expires it
 * (clearing it would mean visiting every key of the table in keyed state).
 *
 * <p>It reads no clock and no database: how far behind PostgreSQL the job is, is reported by the
 * {@link LagReporter} chained to its output.
 */
public final class RowSequencer extends KeyedProcessFunction<String, ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /** Managed Service for Apache Flink forwards to CloudWatch only metrics under a group of this name. */
    public static final String METRIC_SERVICE_GROUP = "kinesisanalytics";
    /** Metric group key whose value is the table ({@code schema.table}) of the counters below it. */
    public static final String METRIC_TABLE_GROUP = "table";
    /** Per table: streamed changes let through. */
    public static final String METRIC_CHANGES = "changes";
    /** Per table: snapshot rows let through. */
    public static final String METRIC_SNAPSHOT_ROWS = "snapshotRows";
    /** Per table: TRUNCATEs let through (counted once, not per copy). */
    public static final String METRIC_TRUNCATES = "truncates";
    /** Per table: columns of new images whose unchanged TOASTed value was not known (listed as unknown). */
    public static final String METRIC_TOAST_UNKNOWN = "toastUnknown";

    private final Duration stateTtl;

    private transient ValueState<RowState> last;
    private transient Counter replaysDropped;
    private transient Counter oldImagesFilled;
    private transient Counter toastFilled;
    private transient Counter toastUnknown;
    private transient MetricGroup metrics;
    private transient Map<TableId, Counter[]> perTable;

    /** @param stateTtl how long a row's state lives after its last change; zero keeps it forever */
    public RowSequencer(Duration stateTtl) {
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(Configuration parameters) {
        ValueStateDescriptor<RowState> descriptor = new ValueStateDescriptor<>("row", new RowStateSerializer());
        if (!stateTtl.isZero()) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl)
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        last = getRuntimeContext().getState(descriptor);
        metrics = getRuntimeContext().getMetricGroup().addGroup(METRIC_SERVICE_GROUP);
        replaysDropped = metrics.counter("replaysDropped");
        oldImagesFilled = metrics.counter("oldImagesFilled");
        toastFilled = metrics.counter("toastFilled");
        toastUnknown = metrics.counter(METRIC_TOAST_UNKNOWN);
        perTable = new HashMap<>();
    }

    private Counter[] tableCounters(TableId table) {
        return perTable.computeIfAbsent(table, t -> {
            MetricGroup group = metrics.addGroup(METRIC_TABLE_GROUP, t.toString());
            return new Counter[] {
                group.counter(METRIC_CHANGES),
                group.counter(METRIC_SNAPSHOT_ROWS),
                group.counter(METRIC_TOAST_UNKNOWN),
                group.counter(METRIC_TRUNCATES)
            };
        });
    }

    private void count(ChangeEvent event) {
        Counter[] counters = tableCounters(event.table());
        counters[event.isTruncate() ? 3 : event.snapshot() ? 1 : 0].inc();
        int unknown = event.unknownColumnCount();
        if (unknown > 0) {
            counters[2].inc(unknown);
            toastUnknown.inc(unknown);
        }
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) throws Exception {
        if (event.isTruncate()) {
            checkCopy(event);
            if (event.isPrimaryCopy()) {
                count(event);
            }
            out.collect(event);
            return;
        }
        RowState state = last.value();
        if (state != null && !event.isAfter(state.commitLsn(), state.changeLsn())) {
            replaysDropped.inc();
            return;
        }
        ChangeEvent complete = complete(event, state);
        last.update(RowState.after(complete));
        count(complete);
        out.collect(complete);
    }

    /** A copy must be this subtask's: otherwise some subtask got none and could apply the TRUNCATE out of order. */
    private void checkCopy(ChangeEvent truncate) {
        int subtask = getRuntimeContext().getIndexOfThisSubtask();
        int subtasks = getRuntimeContext().getNumberOfParallelSubtasks();
        if (truncate.truncateCopies() != subtasks || truncate.truncateCopy() != subtask) {
            throw new IllegalStateException("TRUNCATE of " + truncate.table() + " arrived as copy "
                    + truncate.truncateCopy() + " of " + truncate.truncateCopies() + " at sequencer subtask " + subtask
                    + " of " + subtasks + ": the fan-out before the sequencer must run at the sequencer's parallelism"
                    + " and max parallelism. Do not set either per operator; set pipeline.max-parallelism for the job");
        }
    }

    private ChangeEvent complete(ChangeEvent event, RowState state) {
        Row known = state == null ? null : state.imageIn(event.schema());
        Row before = event.before();
        Row after = event.after();
        if (event.op() != Op.INSERT && known != null) {
            before = known;
            oldImagesFilled.inc();
        }
        int[] unknown = null;
        if (after != null && after.hasUnchangedToast()) {
            Object[] values = after.toArray();
            unknown = fillUnchangedToast(values, known);
            after = Row.wrap(values);
        }
        if (before != null && before.hasUnchangedToast()) {
            Object[] values = before.toArray();
            // the old image's placeholders are unknown when the old image is the state itself
            fillUnchangedToast(values, before == known ? null : known);
            before = Row.wrap(values);
        }
        if (before == event.before() && after == event.after()) {
            return event;
        }
        ChangeEvent.Builder b = event.toBuilder().before(before).after(after);
        return unknown == null || unknown.length == 0
                ? b.build()
                : b.unknownColumns(unknown).build();
    }

    /**
     * Replaces each {@link Row#UNCHANGED_TOAST} in {@code image} (the values of an old or a new image) with
     * the value {@code known} (the last known image, or null) holds, or with null where it holds none;
     * returns the indexes of the latter (ascending).
     */
    private int[] fillUnchangedToast(Object[] image, Row known) {
        int[] unknown = new int[image.length];
        int n = 0;
        for (int i = 0; i < image.length; i++) {
            if (image[i] != Row.UNCHANGED_TOAST) {
                continue;
            }
            if (known != null && known.get(i) != Row.UNCHANGED_TOAST) {
                image[i] = known.get(i);
                toastFilled.inc();
            } else {
                image[i] = null;
                unknown[n++] = i;
            }
        }
        return Arrays.copyOf(unknown, n);
    }
}
