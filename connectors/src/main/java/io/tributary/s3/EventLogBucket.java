package io.tributary.s3;

import io.tributary.event.ChangeEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Where an event goes in the log: the directory {@code schema.table/dt=YYYY-MM-DD/hr=HH} (commit
 * time, UTC) and the schema version whose file it joins.
 *
 * <p>Flink 1.20's {@code FileSink} fixes the bucket id type to {@code String}, keys its open buckets
 * by it, and makes the bucket directory {@code new Path(basePath, bucketId)} (its bucket factory is
 * not public API). So the id, {@link #id()}, is {@code <directory>/@schema-<fingerprint hex>/..}:
 * distinct per schema version, while Flink's {@link org.apache.flink.core.fs.Path} normalises it
 * (URI normalisation drops {@code x/..}) to the same directory. Each bucket names its part files
 * {@code part-<bucket UUID>-<n>.parquet}, so two schema versions of one table in one hour are two
 * buckets, hence two files, in one directory. {@code EventLogBucketTest} pins that behaviour.
 */
public final class EventLogBucket {
    static final String SCHEMA_SEGMENT_PREFIX = "@schema-";
    private static final String PARENT_SUFFIX = "/..";

    private final String path;
    private final long fingerprint;

    public EventLogBucket(String path, long fingerprint) {
        this.path = Objects.requireNonNull(path, "path");
        this.fingerprint = fingerprint;
    }

    /** The bucket of {@code event}. */
    public static EventLogBucket of(ChangeEvent event) {
        return new EventLogBucket(
                directory(event.table().toString(), event.commitTimeMicros()),
                event.schema().fingerprint());
    }

    /** {@code table/dt=YYYY-MM-DD/hr=HH} for a commit time in epoch microseconds. */
    public static String directory(String table, long commitTimeMicros) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(commitTimeMicros, 1_000_000L));
        ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
        return String.format(
                "%s/dt=%04d-%02d-%02d/hr=%02d",
                table, utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour());
    }

    /** Parses an id made by {@link #id()}. */
    public static EventLogBucket parse(String id) {
        int segment = id.lastIndexOf("/" + SCHEMA_SEGMENT_PREFIX);
        if (segment < 0 || !id.endsWith(PARENT_SUFFIX)) {
            throw new IllegalArgumentException("not an event log bucket id: " + id);
        }
        String hex = id.substring(segment + 1 + SCHEMA_SEGMENT_PREFIX.length(), id.length() - PARENT_SUFFIX.length());
        return new EventLogBucket(id.substring(0, segment), Long.parseUnsignedLong(hex, 16));
    }

    /** The FileSink bucket id: distinct per directory and schema version, resolving to the directory. */
    public String id() {
        return path + "/" + SCHEMA_SEGMENT_PREFIX + Long.toHexString(fingerprint) + PARENT_SUFFIX;
    }

    /** The directory under the log's base path. */
    public String path() {
        return path;
    }

    public long fingerprint() {
        return fingerprint;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventLogBucket
                && path.equals(((EventLogBucket) o).path)
                && fingerprint == ((EventLogBucket) o).fingerprint;
    }

    @Override
    public int hashCode() {
        return 31 * path.hashCode() + Long.hashCode(fingerprint);
    }

    /** The directory only, as the brief for the layout asks. */
    @Override
    public String toString() {
        return path;
    }
}
