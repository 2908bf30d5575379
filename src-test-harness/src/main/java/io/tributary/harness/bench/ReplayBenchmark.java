package io.tributary.harness.bench;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.replay.ReplayJob;
import io.tributary.job.replay.ReplayResult;
import io.tributary.job.replay.ReplaySettings;
import io.tributary.s3.EventLogBucket;
import io.tributary.s3.ParquetEventLogWriterFactory;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events per second replayed from a local event log into DynamoDB Local and into kinesalite.
 * The log is written directly with the event log's writer: {@code --events N} changes (default
 * 100000) to {@code --keys K} rows (default 10000; the first change of a row is an INSERT, the rest
 * UPDATEs) in {@code --files F} part files (default 8); {@code --target dynamodb|kinesis|both}
 * (default both), {@code --parallelism P} (default 2). Figures include the per-row sort and the
 * sinks' flush at end of input, not the log's generation.
 */
public final class ReplayBenchmark {
    private static final TableSchema SCHEMA = new TableSchema(
            new TableId("public", "bench_rows"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT64, "int8"), false),
                    new Column("name", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("qty", ColumnType.of(ValueKind.INT32, "int4"), true),
                    new Column("price", ColumnType.decimal(12, 2, "numeric"), true),
                    new Column("updated_at", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true)),
            List.of("id"));

    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = 100_000;
        long keys = 10_000;
        int files = 8;
        int parallelism = 2;
        String target = "both";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[i + 1]);
                case "--keys" -> keys = Long.parseLong(args[i + 1]);
                case "--files" -> files = Integer.parseInt(args[i + 1]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
                case "--target" -> target = args[i + 1];
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; use --events N --keys K --files F --parallelism P --target dynamodb|kinesis|both");
            }
        }
        Path dir = Files.createTempDirectory("replay-bench");
        Path log = dir.resolve("log");
        long t0 = System.nanoTime();
        writeLog(log, events, keys, files);
        System.out.printf("wrote %d events to %d files in %.1f s%n", events, files, (System.nanoTime() - t0) / 1e9);
        ReplaySettings settings = ReplaySettings.builder()
                .logPath(log.toUri().toString())
                .progressInterval(Duration.ofSeconds(5))
                .build();
        StringBuilder summary = new StringBuilder();
        if (!target.equals("kinesis")) {
            try (DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
                String spec = "public.bench_rows=bench_rows;partition=id:N";
                dynamo.createTables(List.of(DynamoDbTableMapping.parse(spec)));
                ReplayResult r = run(
                        config(
                                dir,
                                Map.of(
                                        "enabled",
                                        "true",
                                        "endpoint",
                                        dynamo.endpoint(),
                                        "local",
                                        "true",
                                        "region",
                                        DynamoDbStandIn.REGION,
                                        "tables",
                                        spec)),
                        settings,
                        parallelism);
                summary.append(figure("DynamoDB Local", r, events, keys, files, parallelism));
            }
        }
        if (!target.equals("dynamodb")) {
            try (KinesisStandIn kinesis = KinesisStandIn.start()) {
                kinesis.createStream("bench", 2);
                Map<String, String> k = new HashMap<>();
                k.put("enabled", "true");
                k.put("stream.name", "bench");
                k.put("endpoint", kinesis.endpoint());
                k.put("emulator", "true");
                k.put("region", KinesisStandIn.REGION);
                ReplayResult r = run(configKinesis(dir, k), settings, parallelism);
                summary.append(figure("kinesalite (2 shards)", r, events, keys, files, parallelism));
            }
        }
        System.out.println();
        System.out.print(summary);
    }

    private static String figure(String target, ReplayResult r, long events, long keys, int files, int p) {
        return String.format(
                "replay into %s: %d events (%d rows, %d files, parallelism %d) in %.1f s = %.0f events/s%n",
                target, r.eventsEmitted(), keys, files, p, r.seconds(), r.eventsEmitted() / r.seconds());
    }

    private static ReplayResult run(JobConfig config, ReplaySettings settings, int parallelism) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        ReplayResult r = ReplayJob.run(env, config, settings, System.out);
        System.out.println(r);
        return r;
    }

    private static JobConfig config(Path dir, Map<String, String> dynamoDb) {
        Map<String, Map<String, String>> groups = base(dir);
        groups.put("sink.dynamodb", dynamoDb);
        return JobConfig.of(new PropertyGroups(groups));
    }

    private static JobConfig configKinesis(Path dir, Map<String, String> kinesis) {
        Map<String, Map<String, String>> groups = base(dir);
        groups.put("sink.kinesis", kinesis);
        return JobConfig.of(new PropertyGroups(groups));
    }

    private static Map<String, Map<String, String>> base(Path dir) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                Map.of(
                        "hostname",
                        "unused",
                        "database",
                        "unused",
                        "username",
                        "unused",
                        "password",
                        "unused",
                        "tables.include",
                        "public\\.bench_rows"));
        groups.put("sink.eventlog", Map.of("enabled", "false"));
        groups.put(
                "dead-letters",
                Map.of("path", dir.resolve("dead-letters").toUri().toString()));
        return groups;
    }

    /** Writes {@code events} changes in commit order, dealt round-robin in blocks over {@code files} files. */
    static void writeLog(Path log, long events, long keys, int files) throws Exception {
        long startMicros = Instant.now().getEpochSecond() / 3600 * 3600 * 1_000_000L;
        Path hourDir = log.resolve(EventLogBucket.directory(SCHEMA.table().toString(), startMicros));
        Files.createDirectories(hourDir);
        long perFile = (events + files - 1) / files;
        long n = 0;
        for (int f = 0; f < files && n < events; f++) {
            org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(
                    hourDir.resolve("part-bench-" + f + ".parquet").toUri());
            try (FSDataOutputStream out = path.getFileSystem().create(path, FileSystem.WriteMode.NO_OVERWRITE)) {
                BulkWriter<ChangeEvent> writer = new ParquetEventLogWriterFactory().create(out);
                for (long i = 0; i < perFile && n < events; i++, n++) {
                    writer.addElement(event(n, keys, startMicros));
                }
                writer.finish();
            }
        }
    }

    private static ChangeEvent event(long n, long keys, long startMicros) {
        long id = n % keys;
        Row row = Row.of(
                id,
                "row " + id + " v" + n / keys,
                (int) (n % 1000),
                new BigDecimal(n % 100_000).movePointLeft(2),
                Instant.ofEpochSecond(1_700_000_000L + n));
        boolean insert = n < keys;
        return ChangeEvent.builder()
                .schema(SCHEMA)
                .op(insert ? Op.INSERT : Op.UPDATE)
                .before(
                        insert
                                ? null
                                : Row.of(
                                        id,
                                        "row " + id,
                                        0,
                                        BigDecimal.ZERO.setScale(2),
                                        Instant.ofEpochSecond(1_700_000_000L)))
                .after(row)
                .commitLsn(1_000 + n)
                .changeLsn(1_000 + n)
                .txId(n)
                .commitTimeMicros(startMicros + n)
                .build();
    }
}
