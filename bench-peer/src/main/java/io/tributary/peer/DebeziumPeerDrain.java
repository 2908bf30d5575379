package io.tributary.peer;

import com.sun.management.OperatingSystemMXBean;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's peer: a current Debezium embedded engine drains an existing pgoutput slot into a
 * consumer that only counts, until it sees the first change at or past {@code --end-lsn}, then prints
 * one result line ({@link PeerResult}) and exits. The Debezium options are Tributary's where Debezium
 * has them (type handling, publication left alone, no snapshot), so the comparison is of the engines.
 *
 * <pre>
 *   --host H --port P --user U --password W --database D --slot S --publication B --table schema.table
 *   --end-lsn X/Y   --deadline-seconds N (default 600; past it the partial count is printed, exit 2)
 * </pre>
 */
public final class DebeziumPeerDrain {
    private DebeziumPeerDrain() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        long endLsn = lsn(required(args, "end-lsn"));
        long deadlineSeconds = Long.parseLong(args.getOrDefault("deadline-seconds", "600"));
        long start = System.nanoTime();
        PeerCounter counter = new PeerCounter(endLsn);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(
                        ChangeEventFormat.of(Connect.class))
                .using(properties(args))
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                    }
                    stopped.countDown();
                })
                .notifying(counter)
                .build()) {
            executor.execute(engine);
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSeconds);
            while (!counter.awaitEnd(100) && stopped.getCount() > 0 && System.nanoTime() < waitUntil) {
                // the engine runs on its own threads; this thread only waits for the end or a failure
            }
        }
        long end = counter.endSeenNanos() > 0 ? counter.endSeenNanos() : System.nanoTime();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        PeerResult result = new PeerResult(
                counter.changes(),
                counter.firstNanos(),
                counter.lastNanos(),
                start,
                end,
                processCpuNanos(),
                counter.cpuAtFirst(),
                counter.endSeenNanos() > 0);
        System.out.println(result.line());
        if (!result.reachedEnd()) {
            System.err.println("peer did not reach end LSN " + required(args, "end-lsn") + " within " + deadlineSeconds
                    + " s" + (failure.get() != null ? ": " + failure.get() : ""));
            if (failure.get() != null) {
                failure.get().printStackTrace();
            }
            System.exit(2);
        }
        System.exit(0); // engine threads (offset flusher, JDBC) may linger after close
    }

    static Properties properties(Map<String, String> args) {
        Properties p = new Properties();
        p.setProperty("name", "tributary-bench-peer");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "60000");
        p.setProperty("topic.prefix", "peer");
        p.setProperty("database.hostname", required(args, "host"));
        p.setProperty("database.port", required(args, "port"));
        p.setProperty("database.user", required(args, "user"));
        p.setProperty("database.password", required(args, "password"));
        p.setProperty("database.dbname", required(args, "database"));
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", required(args, "slot"));
        p.setProperty("publication.name", required(args, "publication"));
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", required(args, "table").replace(".", "\\."));
        // The backlog is already in the slot; Tributary's benchmark job also starts without a snapshot.
        p.setProperty("snapshot.mode", "no_data");
        // Tributary's type options (PostgresSources.debeziumProperties), without its own text converter.
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("include.unknown.datatypes", "true");
        p.setProperty("skipped.operations", "none");
        return p;
    }

    /** {@code X/Y} (PostgreSQL's text form) as the 64-bit number Debezium's source struct carries. */
    static long lsn(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "LSN '" + text + "' is not of the form X/Y (pg_current_wal_lsn()::text)");
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + argv[i]
                        + "'; see the class comment of " + DebeziumPeerDrain.class.getName());
            }
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        return args;
    }

    private static String required(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null) {
            throw new IllegalArgumentException(
                    "--" + name + " is required; see the class comment of " + DebeziumPeerDrain.class.getName());
        }
        return v;
    }

    static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Counts insert, update, delete and truncate records before the end LSN and drops them. */
    static final class PeerCounter implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
        private final long endLsn;
        private final CountDownLatch end = new CountDownLatch(1);
        private volatile long changes;
        private volatile long firstNanos;
        private volatile long lastNanos;
        private volatile long endSeenNanos;
        private volatile long cpuAtFirst;

        PeerCounter(long endLsn) {
            this.endLsn = endLsn;
        }

        @Override
        public void handleBatch(
                List<RecordChangeEvent<SourceRecord>> records,
                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
                throws InterruptedException {
            for (RecordChangeEvent<SourceRecord> r : records) {
                Object value = r.record().value();
                if (endSeenNanos == 0 && value instanceof Struct && isChange((Struct) value)) {
                    Struct source = ((Struct) value).getStruct("source");
                    Long lsn = source.getInt64("lsn");
                    if (lsn != null && Long.compareUnsigned(lsn, endLsn) >= 0) {
                        endSeenNanos = System.nanoTime();
                        end.countDown();
                    } else {
                        long now = System.nanoTime();
                        if (changes == 0) {
                            firstNanos = now;
                            cpuAtFirst = processCpuNanos();
                        }
                        lastNanos = now;
                        changes++;
                    }
                }
                committer.markProcessed(r);
            }
            committer.markBatchFinished();
        }

        private static boolean isChange(Struct value) {
            if (value.schema().field("op") == null) {
                return false;
            }
            String op = value.getString("op");
            return "c".equals(op) || "u".equals(op) || "d".equals(op) || "t".equals(op);
        }

        boolean awaitEnd(long millis) throws InterruptedException {
            return end.await(millis, TimeUnit.MILLISECONDS);
        }

        long changes() {
            return changes;
        }

        long firstNanos() {
            return firstNanos;
        }

        long lastNanos() {
            return lastNanos;
        }

        long endSeenNanos() {
            return endSeenNanos;
        }

        long cpuAtFirst() {
            return cpuAtFirst;
        }
    }

    /**
     * The one line the benchmark parses: counts, times and CPU of this JVM in nanoseconds; the CPU figures
     * are the process's since it started ({@code startupCpuNanos}: until the first change was counted).
     */
    record PeerResult(
            long changes,
            long firstNanos,
            long lastNanos,
            long startNanos,
            long endNanos,
            long cpuNanos,
            long startupCpuNanos,
            boolean reachedEnd) {
        String line() {
            return String.format(
                    Locale.ROOT,
                    "PEER-RESULT debezium=%s changes=%d first_to_last_ns=%d start_to_end_ns=%d cpu_ns=%d startup_cpu_ns=%d"
                            + " reached_end=%b",
                    io.debezium.connector.postgresql.Module.version(),
                    changes,
                    changes > 0 ? lastNanos - firstNanos : 0,
                    endNanos - startNanos,
                    cpuNanos,
                    startupCpuNanos,
                    reachedEnd);
        }
    }
}
