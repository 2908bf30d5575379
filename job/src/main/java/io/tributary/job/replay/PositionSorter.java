package io.tributary.job.replay;

import io.tributary.event.ChangeEvent;
import io.tributary.event.serde.ChangeEventTypeInfo;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Restores one row's order: collects every event of a key and, at the end of the key's input,
 * emits them sorted by position {@code (commitLsn, changeLsn)}, dropping exact repeats.
 *
 * <p>Why a timer at the end of time: in {@code RuntimeExecutionMode.BATCH} Flink sorts the keyed
 * input by key and fires all event-time timers of a key when the next key starts, so this holds
 * one row's history at a time. (Run in streaming mode it would hold every row until the end of
 * input; correct, but memory-bound.) Files are read in parallel in no particular order, so this
 * sort is what gives the sinks each row's changes in commit order.
 */
final class PositionSorter extends KeyedProcessFunction<String, ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    static final String EMITTED = "replay-events-emitted";
    private static final Comparator<ChangeEvent> POSITION = (a, b) -> {
        int c = Long.compareUnsigned(a.commitLsn(), b.commitLsn());
        return c != 0 ? c : Long.compareUnsigned(a.changeLsn(), b.changeLsn());
    };

    private transient ListState<ChangeEvent> events;
    private transient LongCounter emitted;

    @Override
    public void open(Configuration parameters) {
        events = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("row-history", ChangeEventTypeInfo.INSTANCE));
        emitted = getRuntimeContext().getLongCounter(EMITTED);
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) throws Exception {
        events.add(event);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChangeEvent> out) throws Exception {
        List<ChangeEvent> history = new ArrayList<>();
        for (ChangeEvent e : events.get()) {
            history.add(e);
        }
        history.sort(POSITION);
        ChangeEvent previous = null;
        for (ChangeEvent e : history) {
            if (previous == null || POSITION.compare(previous, e) != 0) {
                out.collect(e);
                emitted.add(1);
            }
            previous = e;
        }
        events.clear();
    }
}
