package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.adversarial.DecodedChange;
import io.tributary.harness.adversarial.TestDecodingSlot;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Per-row order follows the stream (commit order), not the change LSN: real concurrent sessions
 * make transactions that wrote a key earlier commit later ({@link ConcurrentRaces}), with a
 * TaskManager failure halfway. A {@code test_decoding} slot created before the workload is the
 * reference: per key, the log's operations and transaction ids in position order must equal the
 * server's decoded changes in stream order; no event id twice; the latest state equals SELECT.
 */
class ConcurrentTransactionsOrderITCase {
    private static final TableId RACE = new TableId("public", "race");
    private static final List<String> KEY = List.of("k");
    private static final int ROUNDS = 64;

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @Test
    void laterCommittedTransactionThatWroteEarlierIsNotDroppedAsAReplay(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("e2e_race");
        PG.get()
                .executeIn(
                        db, "CREATE TABLE race (k int PRIMARY KEY, v int NOT NULL)", "INSERT INTO race VALUES (0, 0)");
        TestDecodingSlot decoding;
        try (Connection c = PG.get().connect(db)) {
            decoding = TestDecodingSlot.create(c, "race_reference");
        }
        Path log = dir.resolve("log");
        JobConfig config = config(db, log);

        try (PipelineRun run = PipelineRun.start(
                        config,
                        ProductionEndpoints.create(config),
                        PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("checkpoints"), true),
                        2);
                EventLogDuckDb duck = EventLogDuckDb.open(log)) {
            Deadline.of(Duration.ofMinutes(2))
                    .await(
                            "the snapshot row in the log",
                            () -> alive(run) && streamedEvents(duck, log).size() + snapshotRows(duck, log) >= 1);
            try (ConcurrentRaces races = new ConcurrentRaces(PG.get(), db)) {
                for (int r = 0; r < ROUNDS; r++) {
                    if (r == ROUNDS / 2) {
                        Deadline.of(Duration.ofMinutes(2))
                                .await(
                                        "first races in the log",
                                        () -> alive(run)
                                                && !streamedEvents(duck, log).isEmpty());
                        run.failTaskManager();
                    }
                    races.run(r % ConcurrentRaces.VARIANTS, 1 + 10 * (r % 16));
                }
            }
            // Committed after every race, so once it is in the log the races before it are too (or missing).
            PG.get().executeIn(db, "INSERT INTO race VALUES (-1, -1)");
            Deadline.of(Duration.ofMinutes(3))
                    .await(
                            "the end marker in the log",
                            () -> alive(run)
                                    && streamedEvents(duck, log).stream()
                                            .anyMatch(e -> ((Number) e.get("k")).intValue() == -1));
            List<DecodedChange> decoded;
            try (Connection c = PG.get().connect(db)) {
                decoded = decoding.drain(c);
                decoding.drop(c);
            }
            assertThat(inversions(decoded))
                    .as("keys whose change LSN falls in stream order: the races must have"
                            + " produced the case this test is about")
                    .isGreaterThanOrEqualTo(ROUNDS / ConcurrentRaces.VARIANTS);
            Map<Integer, List<String>> expected = perKey(decoded);
            int expectedCount = expected.values().stream().mapToInt(List::size).sum();
            try {
                Deadline.of(Duration.ofSeconds(30))
                        .await(
                                "the log to hold the " + expectedCount + " decoded changes",
                                () -> alive(run) && streamedEvents(duck, log).size() >= expectedCount);
            } catch (AssertionError missing) {
                // the comparison below names every key whose changes differ
            }

            List<Map<String, Object>> events = streamedEvents(duck, log);
            assertThat(logPerKey(events))
                    .as("per key: op and transaction of each change, log vs test_decoding")
                    .isEqualTo(expected);
            try (EventLogVerifier verifier = EventLogVerifier.open(log);
                    Connection c = PG.get().connect(db)) {
                TableSchema schema = verifier.schemas().get(RACE);
                assertThat(verifier.duplicateEventIds(RACE))
                        .as("duplicate event ids")
                        .isEmpty();
                assertThat(verifier.chainViolations(schema))
                        .as("per-row chain of images")
                        .isEmpty();
                assertThat(EventLogVerifier.differences(
                                EventLogVerifier.databaseState(c, schema), verifier.latestState(schema), 10))
                        .as("latest state vs SELECT")
                        .isEmpty();
            }
        }
    }

    /** The decoded changes as the log must show them per key: "op xid"; a key change is D old + I new. */
    private static Map<Integer, List<String>> perKey(List<DecodedChange> decoded) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (DecodedChange ch : decoded) {
            assertThat(ch.table()).isEqualTo(RACE);
            String key = ch.key(KEY).get(0);
            switch (ch.op()) {
                case INSERT:
                    add(out, key, "I " + ch.xid());
                    break;
                case DELETE:
                    add(out, key, "D " + ch.xid());
                    break;
                case UPDATE:
                    String before = ch.keyBefore(KEY).get(0);
                    if (!before.equals(key)) {
                        add(out, before, "D " + ch.xid());
                        add(out, key, "I " + ch.xid());
                    } else {
                        add(out, key, "U " + ch.xid());
                    }
                    break;
                default:
                    throw new AssertionError("unexpected decoded change " + ch);
            }
        }
        return out;
    }

    /** How often a key's next decoded change has a lower LSN than its previous one (in stream order). */
    private static int inversions(List<DecodedChange> decoded) {
        Map<String, Long> last = new HashMap<>();
        int n = 0;
        for (DecodedChange ch : decoded) {
            String key = ch.key(KEY).get(0);
            long lsn = lsn(ch.lsn());
            Long previous = last.put(key, lsn);
            if (previous != null && Long.compareUnsigned(lsn, previous) < 0) {
                n++;
            }
        }
        return n;
    }

    private static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    private static Map<Integer, List<String>> logPerKey(List<Map<String, Object>> events) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (Map<String, Object> e : events) {
            add(out, e.get("k").toString(), e.get("op") + " " + e.get("tx_id"));
        }
        return out;
    }

    private static void add(Map<Integer, List<String>> out, String key, String change) {
        out.computeIfAbsent(Integer.valueOf(key), k -> new ArrayList<>()).add(change);
    }

    /** Streamed (not snapshot) events of the race table in position order. */
    private static List<Map<String, Object>> streamedEvents(EventLogDuckDb duck, Path log) throws Exception {
        if (!hasParquet(log)) {
            return List.of();
        }
        return duck.query(
                "SELECT k, op, tx_id FROM " + duck.relation(RACE) + " WHERE NOT is_snapshot ORDER BY lsn, change_lsn");
    }

    private static long snapshotRows(EventLogDuckDb duck, Path log) throws Exception {
        if (!hasParquet(log)) {
            return 0;
        }
        return ((Number) duck.query("SELECT count(*) AS n FROM " + duck.relation(RACE) + " WHERE is_snapshot")
                        .get(0)
                        .get("n"))
                .longValue();
    }

    private static boolean hasParquet(Path log) throws Exception {
        Path dir = log.resolve(RACE.toString());
        if (!dir.toFile().isDirectory()) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".parquet"));
        }
    }

    private static boolean alive(PipelineRun run) {
        EventLogEndToEndITCase.alive(run);
        return true;
    }

    private static JobConfig config(String db, Path log) {
        Map<String, String> source = new HashMap<>();
        source.put("hostname", PG.get().host());
        source.put("port", Integer.toString(PG.get().port()));
        source.put("database", db);
        source.put("username", PostgresStandIn.USER);
        source.put("password", PostgresStandIn.PASSWORD);
        source.put("slot.name", "tributary_" + db);
        source.put("publication.name", "tributary_" + db);
        source.put("tables.include", "public\\.race");
        source.put("heartbeat.interval", "1 s");
        return JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                source,
                "sink.eventlog",
                Map.of("path", log.toUri().toString()))));
    }
}
