package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.event.serde.ChangeEventTypeInfo;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.progress.ProgressMetrics;
import io.tributary.harness.verify.EventLogDuckDb;
import io.tributary.job.Endpoints;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.s3.ParquetEventLogSink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The production topology on a MiniCluster with a bounded in-memory source: events the Parquet
 * event log cannot hold become dead-letter files (the whole event, in the default Kinesis JSON
 * format, with cause and position), the {@code deadLetters} counter of destination {@code eventlog}
 * counts them, and every other event, before and after, is committed to the log.
 */
class EventLogDeadLetterTopologyTest {
    /** public.odd(id int4 key, amount numeric(5,2), at timestamp, flag bool). */
    private static final TableSchema ODD = new TableSchema(
            new TableId("public", "odd"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("amount", ColumnType.decimal(5, 2, "numeric"), true),
                    new Column("at", ColumnType.of(ValueKind.TIMESTAMP, "timestamp"), true),
                    new Column("flag", ColumnType.of(ValueKind.BOOLEAN, "bool"), true)),
            List.of("id"));

    private static final LocalDateTime NOON = LocalDateTime.of(2024, 5, 1, 12, 0);
    private static final List<ChangeEvent> INPUT = new ArrayList<>();
    private static final Set<Integer> POISON_IDS = Set.of(7, 23, 41);

    static {
        // Each key's events in WAL order; the run uses one source subtask, so no split boundary separates them.
        long lsn = 1_000;
        for (int id = 0; id < 60; id++) {
            Object amount = new BigDecimal(id + ".25");
            Object at = NOON.plusMinutes(id);
            if (id == 7) {
                amount = new BigDecimal("123456.78"); // wider than numeric(5,2)
            } else if (id == 23) {
                amount = new BigDecimal("23.255"); // a finer scale than numeric(5,2): it would have to be rounded
            } else if (id == 41) {
                amount = "41.25"; // a value of the wrong class for its kind
            }
            INPUT.add(event(Op.INSERT, lsn += 10, null, Row.of(id, amount, at, true)));
            if (!POISON_IDS.contains(id)) {
                INPUT.add(event(Op.UPDATE, lsn += 10, Row.of(id, amount, at, true), Row.of(id, amount, at, false)));
            }
        }
    }

    private static ChangeEvent event(Op op, long lsn, Row before, Row after) {
        return ChangeEvent.builder()
                .schema(ODD)
                .op(op)
                .before(before)
                .after(after)
                .commitLsn(lsn)
                .changeLsn(lsn)
                .txId(lsn / 10)
                .commitTimeMicros(1_795_000_000_000_000L + lsn)
                .build();
    }

    @Test
    void poisonEventsAreDeadLettersAndEveryOtherEventIsInTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        Path letters = dir.resolve("dead-letters");
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                        Map.of("hostname", "unused", "database", "d", "username", "u", "tables.include", ".*"),
                "sink.eventlog", Map.of("path", log.toUri().toString()),
                "dead-letters", Map.of("path", letters.toUri().toString()))));
        DataGeneratorSource<ChangeEvent> source = new DataGeneratorSource<>(
                i -> INPUT.get(i.intValue()), INPUT.size(), RateLimiterStrategy.noOp(), ChangeEventTypeInfo.INSTANCE);
        Endpoints endpoints = Endpoints.builder(source)
                .eventLog(ParquetEventLogSink.create(log.toUri().toString()))
                .eventLogDeadLetters(ProductionEndpoints.deadLetterHandler(config))
                .build();

        ProgressMetrics.reset();
        try (PipelineRun run = PipelineRun.start(
                config, endpoints, PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("cp"), false), 1)) {
            Deadline.of(Duration.ofMinutes(3)).await(() -> "job to finish", () -> {
                JobStatus s = run.status();
                if (s.isGloballyTerminalState() && s != JobStatus.FINISHED) {
                    throw new IllegalStateException("job ended as " + s, run.failureCause());
                }
                return s == JobStatus.FINISHED;
            });
        }

        List<ChangeEvent> poison = INPUT.stream()
                .filter(e -> POISON_IDS.contains((Integer) e.after().get(0)))
                .collect(Collectors.toList());
        List<String> expectedInLog = INPUT.stream()
                .filter(e -> !poison.contains(e))
                .map(ChangeEvent::eventId)
                .sorted()
                .collect(Collectors.toList());
        try (EventLogDuckDb duck = EventLogDuckDb.open(log)) {
            List<String> inLog = duck.allEvents(ODD.table()).stream()
                    .map(r -> (String) r.get("event_id"))
                    .sorted()
                    .collect(Collectors.toList());
            assertThat(inLog).as("event ids committed to the log").isEqualTo(expectedInLog);
        }

        ObjectMapper json = new ObjectMapper();
        for (ChangeEvent e : poison) {
            Path file = letters.resolve("eventlog/public.odd/" + e.eventId() + ".json");
            assertThat(file).as("dead letter of %s", e.routingKey()).exists();
            JsonNode letter = json.readTree(file.toFile());
            assertThat(letter.get("destination").asText()).isEqualTo("eventlog");
            assertThat(letter.get("key").asText()).isEqualTo(e.routingKey());
            assertThat(letter.get("commitLsn").asText()).isEqualTo(ChangeEvent.formatLsn(e.commitLsn()));
            assertThat(letter.get("cause").asText()).startsWith("the Parquet event log cannot hold this event");
            JsonNode event = letter.has("event") ? letter.get("event") : null;
            if ((Integer) e.after().get(0) == 41) {
                // the wrong-class value cannot be rendered as JSON either: the letter keeps the event's text
                assertThat(letter.get("eventText").asText()).isEqualTo(e.toString());
            } else {
                assertThat(event.get("eventId").asText()).isEqualTo(e.eventId());
                assertThat(event.get("op").asText()).isEqualTo("INSERT");
                assertThat(event.get("new").get("id").asInt())
                        .isEqualTo(e.after().get(0));
            }
        }
        try (var files = Files.walk(letters)) {
            assertThat(files.filter(Files::isRegularFile).count())
                    .as("dead-letter files")
                    .isEqualTo(poison.size());
        }
        assertThat(ProgressMetrics.deadLetters()).containsEntry("eventlog", (long) poison.size());
    }
}
