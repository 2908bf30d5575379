package io.tributary.s3;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileSystem;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Prints the Athena DDL for every table of an event log:
 * {@code AthenaDdlCommand <log path> [database]}, e.g. {@code s3://bucket/events tributary}.
 *
 * <p>S3 access comes from the Flink configuration ({@code FLINK_CONF_DIR}), as for the job.
 */
public final class AthenaDdlCommand {
    private AthenaDdlCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: AthenaDdlCommand <event log path, e.g. s3://bucket/prefix> [athena database]");
            System.exit(2);
        }
        Configuration conf = System.getenv("FLINK_CONF_DIR") == null
                ? new Configuration()
                : GlobalConfiguration.loadConfiguration(System.getenv("FLINK_CONF_DIR"));
        FileSystem.initialize(conf, null);
        print(args[0], args.length > 1 ? args[1] : "tributary", System.out);
    }

    /** Writes every statement, each ending in {@code ;}, to {@code out}. */
    public static void print(String logPath, String database, PrintStream out) throws Exception {
        List<EventLogCatalog.Table> tables = EventLogCatalog.read(logPath);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no committed part files under " + logPath
                    + ": check the path, or let the job complete a checkpoint first");
        }
        out.println("CREATE DATABASE IF NOT EXISTS `" + database + "`;");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (EventLogCatalog.Table t : tables) {
            AthenaDdl ddl = new AthenaDdl(database, logPath, t.firstDay());
            out.println();
            out.println("-- " + t.schema().table() + " (schema of " + t.newestFile() + ")");
            out.println(ddl.createTable(t.schema()) + ";");
            out.println();
            out.println(ddl.createLatestView(t.schema()) + ";");
            out.println();
            out.println("-- state as of " + now + " (edit the timestamp)");
            out.println(ddl.asOfQuery(t.schema(), now) + ";");
        }
    }
}
