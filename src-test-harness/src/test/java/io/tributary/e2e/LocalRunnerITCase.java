package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.harness.Deadline;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficCounts;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.PostgresStandIn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tributary local} as a user runs it, in its own JVM: killed with SIGKILL while changes
 * stream and started again with the same command, it resumes from its newest retained checkpoint
 * (RocksDB, as in {@code flink-conf/}) and the log holds every change exactly once; and when the
 * job fails for good it exits non-zero and says why.
 */
class LocalRunnerITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @TempDir
    Path dir;

    private Map<String, Map<String, String>> groups(String db, Path log) {
        Map<String, String> source = new HashMap<>();
        source.put("hostname", PG.get().host());
        source.put("port", Integer.toString(PG.get().port()));
        source.put("database", db);
        source.put("username", PostgresStandIn.USER);
        source.put("password", PostgresStandIn.PASSWORD);
        source.put("slot.name", "tributary_" + db);
        source.put("publication.name", "tributary_" + db);
        source.put("tables.include", CaptureFixture.DEMO_TABLES);
        source.put("snapshot.split-size", "500");
        source.put("heartbeat.interval", "1 s");
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put("source.postgres", source);
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        return groups;
    }

    @Test
    void killedRunnerResumesFromItsNewestCheckpointWithNothingLostOrDuplicated() throws Exception {
        String db = PG.get().createDatabase("local_runner_kill");
        Map<DemoTable, Long> seeded = CaptureFixture.seedDemo(PG.get(), db, 5_000);
        Path log = dir.resolve("log");
        Path config = LocalRunnerProcess.writeConfig(dir.resolve("capture.json"), groups(db, log));
        Path flinkConf = LocalRunnerProcess.writeFlinkConf(dir.resolve("flink-conf"), dir.resolve("state"), 10);

        TrafficCounts traffic;
        try (TrafficGenerator gen = TrafficGenerator.builder(() -> PG.get().connect(db))
                .changesPerSecond(300)
                .rowsPerTransaction(2)
                .maxChanges(3_000)
                .seed(21)
                .build()) {
            try (LocalRunnerProcess first =
                    LocalRunnerProcess.start(flinkConf, dir.resolve("first.out"), "--config", config.toString())) {
                first.awaitOutput("starting fresh", Duration.ofMinutes(1));
                // The snapshot whole in the committed log: a checkpoint after it is retained.
                CaptureFixture.awaitEvents(log, seeded, Duration.ofMinutes(4), first::assertAlive);
                gen.start();
                Deadline.of(Duration.ofMinutes(2))
                        .await("traffic under way", () -> gen.counts().total() >= 800);
                Map<DemoTable, Long> some = CaptureFixture.expectedEvents(seeded, List.of(gen.counts()));
                some.replaceAll((t, n) -> Math.max(seeded.get(t), n - 400));
                CaptureFixture.awaitEvents(log, some, Duration.ofMinutes(2), first::assertAlive);
                first.kill();
            }
            long atKill = gen.counts().total();
            Deadline.of(Duration.ofMinutes(2))
                    .await(
                            "changes made while the runner is down",
                            () -> gen.counts().total() >= atKill + 300);

            try (LocalRunnerProcess second =
                    LocalRunnerProcess.start(flinkConf, dir.resolve("second.out"), "--config", config.toString())) {
                second.awaitOutput(
                        "resuming from " + dir.resolve("state").resolve("checkpoints"), Duration.ofMinutes(1));
                gen.awaitTermination(Duration.ofMinutes(3));
                gen.close();
                traffic = gen.counts();
                Map<DemoTable, Long> expected = CaptureFixture.expectedEvents(seeded, List.of(traffic));
                CaptureFixture.awaitEvents(log, expected, Duration.ofMinutes(4), second::assertAlive);
                try (Connection c = PG.get().connect(db)) {
                    CaptureFixture.assertLogEqualsDatabase(log, c, expected);
                }
                second.stop();
                second.awaitExit(Duration.ofMinutes(2)); // 143: ended by the signal, after the savepoint
                assertThat(second.output()).contains("stopped with savepoint");
            }
        }
        // Ctrl-C left a savepoint: the same command resumes from it.
        try (LocalRunnerProcess third =
                LocalRunnerProcess.start(flinkConf, dir.resolve("third.out"), "--config", config.toString())) {
            third.awaitOutput("resuming from " + dir.resolve("state").resolve("savepoints"), Duration.ofMinutes(1));
            third.awaitOutput("running; Flink web UI", Duration.ofMinutes(2));
        }
    }

    @Test
    void runnerExitsNonZeroWithTheCauseWhenTheJobFailsForGood() throws Exception {
        String db = PG.get().createDatabase("local_runner_fail");
        PG.get()
                .executeIn(
                        db,
                        "CREATE TABLE widgets (id int PRIMARY KEY, name text)",
                        "INSERT INTO widgets VALUES (1, 'a')");
        try (DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String mapping = "public.widgets=widgets_" + db + ";partition=id:N";
            dynamo.createTables(List.of(DynamoDbTableMapping.parse(mapping)));
            Map<String, Map<String, String>> groups = groups(db, dir.resolve("log"));
            groups.get("source.postgres").put("tables.include", "public\\.widgets");
            groups.put(
                    "sink.dynamodb",
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
                            mapping));
            Path config = LocalRunnerProcess.writeConfig(dir.resolve("widgets.json"), groups);
            Path flinkConf = LocalRunnerProcess.writeFlinkConf(dir.resolve("flink-conf"), dir.resolve("state"), 2);

            try (LocalRunnerProcess runner =
                    LocalRunnerProcess.start(flinkConf, dir.resolve("runner.out"), "--config", config.toString())) {
                runner.awaitOutput("running; Flink web UI", Duration.ofMinutes(1));
                dynamo.client().deleteTable(b -> b.tableName("widgets_" + db));
                PG.get().executeIn(db, "INSERT INTO widgets SELECT g, 'w' || g FROM generate_series(2, 50) g");

                assertThat(runner.awaitExit(Duration.ofMinutes(3)))
                        .as(runner.output())
                        .isEqualTo(1);
                assertThat(runner.output())
                        .contains("the job failed for good after 2 restarts")
                        .contains("DynamoDB table widgets_" + db + " does not exist");
            }
        }
    }
}
