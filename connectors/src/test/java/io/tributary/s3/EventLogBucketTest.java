package io.tributary.s3;

import static io.tributary.s3.EventLogFixtures.event;
import static io.tributary.s3.EventLogFixtures.simple;
import static io.tributary.s3.EventLogFixtures.simpleWithQty;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;

import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.Test;

class EventLogBucketTest {

    @Test
    void directoryIsTableAndCommitHourInUtc() {
        ChangeEvent e = event(
                simple("public", "widgets"), Op.INSERT, null, Row.of(1, "a"), 10, 1, "2026-11-23T23:59:59.999999Z");
        EventLogBucket bucket = EventLogBucket.of(e);
        assertThat(bucket.path()).isEqualTo("public.widgets/dt=2026-11-23/hr=23");
        assertThat(bucket).hasToString("public.widgets/dt=2026-11-23/hr=23");
        assertThat(EventLogBucket.directory("s.t", -1)).isEqualTo("s.t/dt=1969-12-31/hr=23");
    }

    @Test
    void schemaVersionsAreDistinctBucketsInTheSameDirectory() {
        ChangeEvent v1 =
                event(simple("public", "widgets"), Op.INSERT, null, Row.of(1, "a"), 10, 1, "2026-11-23T10:00:00Z");
        ChangeEvent v2 = event(
                simpleWithQty("public", "widgets"), Op.INSERT, null, Row.of(2, "b", 3L), 20, 1, "2026-11-23T10:30:00Z");
        EventLogBucket b1 = EventLogBucket.of(v1);
        EventLogBucket b2 = EventLogBucket.of(v2);
        assertThat(b1).isNotEqualTo(b2);
        assertThat(b1.id()).isNotEqualTo(b2.id());
        assertThat(b1.path()).isEqualTo(b2.path());
        for (String base : new String[] {"file:///tmp/log", "s3://bucket/prefix", "/tmp/log"}) {
            // this is how FileSink 1.20's FileWriter makes a bucket's directory from its id
            assertThat(new Path(new Path(base), b1.id())).isEqualTo(new Path(new Path(base), b1.path()));
            assertThat(new Path(new Path(base), b2.id())).isEqualTo(new Path(new Path(base), b2.path()));
        }
    }

    @Test
    void idAndSerializerRoundTrip() throws Exception {
        EventLogBucket bucket = new EventLogBucket("s.t/dt=2026-01-02/hr=03", 0xfedcba9876543210L);
        assertThat(EventLogBucket.parse(bucket.id())).isEqualTo(bucket);
        SimpleVersionedSerializer<String> serializer = new EventLogBucketAssigner().getSerializer();
        byte[] bytes = serializer.serialize(bucket.id());
        assertThat(EventLogBucket.parse(serializer.deserialize(serializer.getVersion(), bytes)))
                .isEqualTo(bucket);
    }
}
