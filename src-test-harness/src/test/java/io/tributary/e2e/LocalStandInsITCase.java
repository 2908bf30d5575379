package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.harness.Deadline;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.cli.LocalStandIns;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.config.PropertyGroups;
import io.tributary.kinesis.KinesisSdkClientProvider;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The user's path to every destination on their own machine: {@code ./tributary standins} starts
 * the stand-ins a configuration names and writes the properties for them; {@code ./tributary local}
 * with those properties fills all three: every row in DynamoDB, a record per change on Kinesis, and
 * committed Parquet files in the S3 store.
 */
class LocalStandInsITCase {
    private static final int ROWS = 50;

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @TempDir
    Path dir;

    @Test
    void standInsForAConfigurationReceiveEveryDestination() throws Exception {
        String db = PG.get().createDatabase("standins");
        PG.get()
                .executeIn(
                        db,
                        "CREATE TABLE widgets (id int PRIMARY KEY, name text)",
                        "INSERT INTO widgets SELECT g, 'w' || g FROM generate_series(1, 20) g");
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                new HashMap<>(Map.of(
                        "hostname",
                        PG.get().host(),
                        "port",
                        Integer.toString(PG.get().port()),
                        "database",
                        db,
                        "username",
                        PostgresStandIn.USER,
                        "password",
                        PostgresStandIn.PASSWORD,
                        "slot.name",
                        db,
                        "publication.name",
                        db,
                        "tables.include",
                        "public\\.widgets",
                        "heartbeat.interval",
                        "1 s")));
        groups.put("sink.eventlog", Map.of("path", "s3://events/widgets"));
        groups.put("sink.kinesis", Map.of("enabled", "true", "stream.name", "widget-changes"));
        groups.put("sink.dynamodb", Map.of("enabled", "true", "tables", "public.widgets=widgets;partition=id:N"));
        Path config = LocalRunnerProcess.writeConfig(dir.resolve("my-db.json"), groups);
        Path flinkConf = LocalRunnerProcess.writeFlinkConf(dir.resolve("flink-conf"), dir.resolve("state"), 10);

        try (LocalRunnerProcess standins = LocalRunnerProcess.start(
                LocalStandIns.class, flinkConf, dir.resolve("standins.out"), "--config", config.toString())) {
            standins.awaitOutput("run the job in another terminal", Duration.ofMinutes(3));
            Path standinsConfig = dir.resolve("my-db.standins.json");
            Path standinsFlinkConf = dir.resolve("my-db.standins.flink-conf");
            assertThat(standins.output())
                    .contains("./tributary local --config " + standinsConfig + " --flink-conf " + standinsFlinkConf);
            Map<String, Map<String, String>> pointed =
                    PropertyGroups.fromFile(standinsConfig).asMap();

            try (LocalRunnerProcess runner = LocalRunnerProcess.start(
                    standinsFlinkConf,
                    dir.resolve("runner.out"),
                    "--config",
                    standinsConfig.toString(),
                    "--flink-conf",
                    standinsFlinkConf.toString())) {
                runner.awaitOutput("running; Flink web UI", Duration.ofMinutes(2));
                PG.get()
                        .executeIn(
                                db, "INSERT INTO widgets SELECT g, 'w' || g FROM generate_series(21, " + ROWS + ") g");

                try (DynamoDbClient dynamo = DynamoDbClient.builder()
                        .endpointOverride(
                                URI.create(pointed.get("sink.dynamodb").get("endpoint")))
                        .region(Region.of(DynamoDbStandIn.REGION))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(DynamoDbStandIn.ACCESS_KEY, DynamoDbStandIn.SECRET_KEY)))
                        .build()) {
                    Deadline.of(Duration.ofMinutes(3))
                            .await(() -> "every row in DynamoDB; runner output:\n" + runner.output(), () -> {
                                runner.assertAlive();
                                return dynamo.scan(b -> b.tableName("widgets")).count() == ROWS;
                            });
                }

                KinesisAsyncClient kinesisClient = KinesisSdkClientProvider.build(
                        KinesisStandIn.settingsFor(pointed.get("sink.kinesis").get("endpoint"), "widget-changes")
                                .build(),
                        2);
                try (kinesisClient) {
                    List<KinesisTail.TailRecord> records = new KinesisTail(kinesisClient, "widget-changes")
                            .readUntil(r -> keys(r).size() == ROWS, Duration.ofMinutes(2));
                    assertThat(keys(records)).hasSize(ROWS);
                }

                Configuration s3 = GlobalConfiguration.loadConfiguration(standinsFlinkConf.toString());
                FileSystem.initialize(s3, null);
                List<String> files = new ArrayList<>();
                Deadline.of(Duration.ofMinutes(2))
                        .await(() -> "committed Parquet files under s3://events/widgets; " + "found " + files, () -> {
                            files.clear();
                            list(new org.apache.flink.core.fs.Path("s3://events/widgets"), files);
                            return files.stream()
                                    .anyMatch(f -> f.contains("/public.widgets/")
                                            && f.contains("part-")
                                            && !f.contains("inprogress"));
                        });
            }
        }
    }

    /** Partition keys of the row records (the snapshot's baseline TRUNCATE is keyed by its table, not a row). */
    private static Set<String> keys(List<KinesisTail.TailRecord> records) {
        return records.stream()
                .filter(r -> !new String(r.data, StandardCharsets.UTF_8).contains("\"op\":\"TRUNCATE\""))
                .map(r -> r.partitionKey)
                .collect(Collectors.toSet());
    }

    private static void list(org.apache.flink.core.fs.Path path, List<String> into) throws Exception {
        FileSystem fs = path.getFileSystem();
        if (!fs.exists(path)) {
            return;
        }
        for (FileStatus s : fs.listStatus(path)) {
            if (s.isDir()) {
                list(s.getPath(), into);
            } else {
                into.add(s.getPath().toString());
            }
        }
    }
}
