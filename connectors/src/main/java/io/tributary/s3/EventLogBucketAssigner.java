package io.tributary.s3;

import io.tributary.event.ChangeEvent;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.util.HashMap;
import java.util.Map;

/** Assigns each event to its {@link EventLogBucket}: table, commit hour (UTC) and schema version. */
public final class EventLogBucketAssigner implements BucketAssigner<ChangeEvent, String> {
    private static final long serialVersionUID = 1L;

    private static final long MICROS_PER_HOUR = 3_600_000_000L;

    /** Per schema fingerprint (one table, one version): the hour and bucket id of its last event. */
    private transient Map<Long, Object[]> recent;

    @Override
    public String getBucketId(ChangeEvent event, Context context) {
        // Formatting the directory per event showed in profiles; events of one table, hour and schema share it.
        long hour = Math.floorDiv(event.commitTimeMicros(), MICROS_PER_HOUR);
        if (recent == null || recent.size() > 10_000) {
            recent = new HashMap<>();
        }
        Object[] last = recent.get(event.schema().fingerprint());
        if (last == null || (long) last[0] != hour) {
            last = new Object[] {hour, EventLogBucket.of(event).id()};
            recent.put(event.schema().fingerprint(), last);
        }
        return (String) last[1];
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
