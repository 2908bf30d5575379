package io.tributary.event;

import org.apache.flink.metrics.Counter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Flink {@link Counter} that threads other than the task thread may increment too (AWS SDK
 * completion threads in the sink writers); Flink's {@code SimpleCounter} is not thread-safe.
 */
public final class AtomicCounter implements Counter {
    private final AtomicLong count = new AtomicLong();

    @Override
    public void inc() {
        count.incrementAndGet();
    }

    @Override
    public void inc(long n) {
        count.addAndGet(n);
    }

    @Override
    public void dec() {
        count.decrementAndGet();
    }

    @Override
    public void dec(long n) {
        count.addAndGet(-n);
    }

    @Override
    public long getCount() {
        return count.get();
    }
}
