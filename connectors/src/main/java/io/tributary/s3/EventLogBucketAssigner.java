package io.tributary.s3;

import io.tributary.event.ChangeEvent;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** Assigns each event to its {@link EventLogBucket}: table, commit hour (UTC) and schema version. */
public final class EventLogBucketAssigner implements BucketAssigner<ChangeEvent, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(ChangeEvent event, Context context) {
        return EventLogBucket.of(event).id();
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
