package io.tributary.s3;

import io.tributary.event.ChangeEvent;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The exactly-once Parquet event log: a {@link FileSink} whose part files commit only on a
 * completed checkpoint (bulk formats roll on every checkpoint), laid out as
 * {@code <base>/<schema>.<table>/dt=YYYY-MM-DD/hr=HH/part-<uuid>-<n>.parquet}.
 *
 * <p>Works on any Flink file system with a recoverable writer: {@code file://} and {@code s3://}
 * (flink-s3-fs-hadoop). In-progress files are hidden ({@code .part-…inprogress…}) on local disks
 * and multipart uploads on S3, so Athena and DuckDB only see committed files.
 */
public final class ParquetEventLogSink {
    private ParquetEventLogSink() {}

    /** The sink writing below {@code basePath}, e.g. {@code s3://bucket/prefix} or {@code file:///tmp/log}. */
    public static FileSink<ChangeEvent> create(String basePath) {
        return FileSink.forBulkFormat(new Path(basePath), new ParquetEventLogWriterFactory())
                .withBucketAssigner(new EventLogBucketAssigner())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(outputFileConfig())
                .build();
    }

    /** Part files are {@code part-<uuid>-<n>.parquet}; FileSink adds no extension by itself. */
    public static OutputFileConfig outputFileConfig() {
        return OutputFileConfig.builder()
                .withPartPrefix("part")
                .withPartSuffix(".parquet")
                .build();
    }
}
