package io.tributary.harness.bench;

import io.tributary.harness.PipelineRun;
import io.tributary.harness.demo.DemoSchema;
import io.tributary.harness.progress.ProgressMetrics;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.Endpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every pipeline benchmark shares: the run settings, a fresh database with the demo schema,
 * the job's configuration for it, and starting the production topology on a MiniCluster with the
 * bench metric reporter.
 */
final class BenchJob {
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** rocksdb (production's, the default) or, to compare, {@code -Dtributary.bench.state-backend=hashmap}. */
    static final String STATE_BACKEND = System.getProperty("tributary.bench.state-backend", "rocksdb");

    final PostgresStandIn pg;
    final Path workDir;
    final int parallelism;
    final Duration checkpointInterval;
    /** The longest any one wait may take; a benchmark that hits it reports a shortfall. */
    final Duration deadline;

    final String database;
    final Map<String, Map<String, String>> groups = new LinkedHashMap<>();

    private BenchJob(BenchSettings settings, String database) {
        this.pg = settings.pg();
        this.workDir = settings.workDir();
        this.parallelism = settings.parallelism();
        this.checkpointInterval = settings.checkpointInterval();
        this.deadline = settings.deadline();
        this.database = database;
    }

    /**
     * A fresh database {@code bench_<name>_<n>} with the demo tables, capturing {@code tablesRegex}.
     * A publication for {@code publishedTables} may be created up front, as an operator would. (It
     * does not avoid the snapshot backfill's "No table filters found for filtered publication"
     * failure, see BENCHMARKS.md; the snapshot figure keeps it to show the failure is not about who
     * creates the publication.)
     */
    static BenchJob create(
            BenchSettings settings, String name, String tablesRegex, boolean snapshot, String... publishedTables)
            throws SQLException {
        String db = settings.pg().createDatabase("bench_" + name + "_" + RUNS.incrementAndGet());
        try (Connection c = settings.pg().connect(db);
                Statement s = c.createStatement()) {
            DemoSchema.create(c);
            if (publishedTables.length > 0) {
                s.execute("CREATE PUBLICATION tributary_" + db + " FOR TABLE " + String.join(", ", publishedTables));
            }
        }
        BenchJob job = new BenchJob(settings, db);
        Map<String, String> source = new HashMap<>();
        source.put("hostname", settings.pg().host());
        source.put("port", Integer.toString(settings.pg().port()));
        source.put("database", db);
        source.put("username", PostgresStandIn.USER);
        source.put("password", PostgresStandIn.PASSWORD);
        source.put("slot.name", "tributary_" + db);
        source.put("publication.name", "tributary_" + db);
        source.put("tables.include", tablesRegex);
        source.put("snapshot.mode", snapshot ? "initial" : "never");
        source.put("heartbeat.interval", "1 s");
        job.groups.put("source.postgres", source);
        job.groups.put(
                "sink.eventlog",
                new HashMap<>(Map.of("path", job.dir("log").toUri().toString())));
        return job;
    }

    /** A directory under the run's work directory, unique to this database. */
    Path dir(String name) {
        return workDir.resolve(database).resolve(name);
    }

    Path eventLog() {
        return dir("log");
    }

    /** Sets a key of a property group (creating the group). */
    BenchJob set(String group, String key, String value) {
        groups.computeIfAbsent(group, g -> new HashMap<>()).put(key, value);
        return this;
    }

    /** Turns the event log off; the dead letters of other sinks then go to their own directory. */
    BenchJob withoutEventLog() {
        set("sink.eventlog", "enabled", "false");
        groups.get("sink.eventlog").remove("path");
        return set("dead-letters", "path", dir("dead-letters").toUri().toString());
    }

    JobConfig config() {
        return JobConfig.of(new PropertyGroups(new HashMap<>(groups)));
    }

    Connection connect() throws SQLException {
        return pg.connect(database);
    }

    /** Starts the topology on a fresh MiniCluster with no state, metrics reset. */
    PipelineRun start(Endpoints endpoints) throws Exception {
        return launch(endpoints, null);
    }

    /** As {@link #start}, the job's state restored from {@code savepoint}. */
    PipelineRun restore(Endpoints endpoints, String savepoint) throws Exception {
        return launch(endpoints, Objects.requireNonNull(savepoint, "savepoint"));
    }

    private PipelineRun launch(Endpoints endpoints, String restoreFrom) throws Exception {
        ProgressMetrics.reset();
        BenchMetrics.reset();
        DiscardingSink.reset();
        Configuration conf =
                PipelineRun.testFlinkConfig(checkpointInterval, Files.createDirectories(dir("checkpoints")), false);
        conf.setString("taskmanager.memory.managed.size", "256m");
        // Production's state backend (MSF's default, and flink-conf/'s): a checkpoint writes only the
        // changed RocksDB files, where the heap backend rewrote every row image each time.
        conf.setString("state.backend.type", STATE_BACKEND);
        conf.setString("execution.checkpointing.incremental", "true");
        BenchMetrics.register(conf);
        PipelineRun run = restoreFrom == null
                ? PipelineRun.start(config(), endpoints, conf, parallelism)
                : PipelineRun.restore(config(), endpoints, conf, parallelism, restoreFrom);
        run.awaitRunning(deadline);
        return run;
    }

    /** Throws, with the job's own failure as the cause, if the job has ended. */
    static void assertAlive(PipelineRun run) throws Exception {
        if (run.status().isGloballyTerminalState()) {
            Throwable cause = run.cluster()
                    .requestJobResult(run.jobId())
                    .get()
                    .getSerializedThrowable()
                    .map(t -> t.deserializeError(BenchJob.class.getClassLoader()))
                    .orElse(null);
            throw new IllegalStateException("the job ended as " + run.status(), cause);
        }
    }

    /** Waits until the job's replication slot exists and a walsender streams it. */
    void awaitSlotActive(PipelineRun run) throws Exception {
        String slot = groups.get("source.postgres").get("slot.name");
        BenchPoll.until(
                "slot " + slot + " active",
                deadline,
                () -> assertAlive(run),
                () -> {
                    try (Connection c = connect();
                            Statement s = c.createStatement();
                            ResultSet rs =
                                    s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                                            + slot + "' AND active")) {
                        rs.next();
                        return rs.getLong(1) > 0 ? 1L : 0L;
                    }
                },
                1);
    }

    /**
     * Builds a backlog for a catch-up figure: starts the job (snapshot off) until its slot streams,
     * stops it with a savepoint, writes {@code changes} changes in transactions of {@code perTxn}
     * with {@link CeilingChanges}, and returns the savepoint to restore from.
     */
    String backlog(long changes, int perTxn, Callable<Endpoints> endpoints) throws Exception {
        String savepoint;
        try (PipelineRun run = start(endpoints.call())) {
            awaitSlotActive(run);
            savepoint = run.stopWithSavepoint(dir("savepoints"));
        }
        try (Connection c = connect()) {
            c.setAutoCommit(true);
            long t = System.nanoTime();
            CeilingChanges.write(c, changes, perTxn);
            System.out.printf(
                    "  backlog: %,d changes, %d rows/txn, written in %.1f s%n",
                    changes, perTxn, (System.nanoTime() - t) / 1e9);
        }
        return savepoint;
    }

    /** Sum of the sequencer's streamed-change counters over tables. */
    static long sequencedChanges() {
        return ProgressMetrics.changes().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Sum of the sequencer's snapshot-row counters over tables. */
    static long sequencedSnapshotRows() {
        return ProgressMetrics.snapshotRows().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Rows now in {@code table}, counted by PostgreSQL. */
    long rowCount(String table) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Drops the database and its slot (best effort: benchmarks continue). */
    void drop() {
        try {
            pg.execute(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots" + " WHERE database = '"
                            + database + "' AND NOT active",
                    "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (RuntimeException e) {
            System.out.println("  (could not drop " + database + ": " + e.getMessage() + ")");
        }
    }
}
