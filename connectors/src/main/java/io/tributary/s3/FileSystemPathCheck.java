package io.tributary.s3;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * The start-up check of a path the job writes (the event log, the dead letters): writes a small
 * probe file through Flink's file system for the path's scheme and deletes it. Run before the job
 * touches the database, so a wrong bucket, a missing permission or a missing file system plugin
 * fails the deployment with what to fix instead of failing the first checkpoint.
 *
 * <p>The probe's name starts with {@code _}, which Athena, Hive and the event log's own listing
 * skip, so a probe left behind by a crash between write and delete is never read as data.
 */
public final class FileSystemPathCheck {
    private FileSystemPathCheck() {}

    /**
     * What is wrong with writing below {@code basePath}, or empty.
     *
     * @param option the configuration key that names the path, for the message
     */
    public static Optional<String> run(String basePath, String option) {
        Path probe;
        try {
            probe = new Path(basePath.replaceAll("/+$", "") + "/_tributary-write-probe-" + UUID.randomUUID());
        } catch (RuntimeException e) {
            return Optional.of(option + " '" + basePath + "' is not a valid path: " + e.getMessage()
                    + ": use s3://bucket/prefix on AWS or file:///… locally");
        }
        try {
            FileSystem fs = probe.getFileSystem();
            try (FSDataOutputStream out = fs.create(probe, FileSystem.WriteMode.OVERWRITE)) {
                out.write("tributary start-up write check\n".getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(probe, false);
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("cannot write below " + option + " '" + basePath + "' (" + e + "): fix the path, or"
                    + " grant the job's role s3:PutObject and s3:DeleteObject on it (for s3:// the cluster needs the"
                    + " flink-s3-fs-hadoop plugin; on a local disk the directory must be writable)");
        }
    }
}
