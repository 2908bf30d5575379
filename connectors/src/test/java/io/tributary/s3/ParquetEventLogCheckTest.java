package io.tributary.s3;

import static io.tributary.event.TestTables.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.deadletter.DeadLetter;
import io.tributary.deadletter.DeadLetterHandler;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The event log's check in front of its FileSink: events Parquet cannot hold become dead letters
 * (whole, with cause and position), every other event passes on in order, and letters are handled
 * before the checkpoint that passes their events.
 */
class ParquetEventLogCheckTest {
    /** public.odd(id int4 key, amount numeric(5,2), at timestamp, flag bool). */
    static final TableSchema ODD = new TableSchema(
            new TableId("public", "odd"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("amount", ColumnType.decimal(5, 2, "numeric"), true),
                    new Column("at", ColumnType.of(ValueKind.TIMESTAMP, "timestamp"), true),
                    new Column("flag", ColumnType.of(ValueKind.BOOLEAN, "bool"), true)),
            List.of("id"));

    private static final LocalDateTime NOON = LocalDateTime.of(2024, 5, 1, 12, 0);

    /** Records what it is handed, and when it was flushed relative to the letters. */
    static final class RecordingHandler implements DeadLetterHandler {
        private static final long serialVersionUID = 1L;
        final List<DeadLetter> letters = new ArrayList<>();
        final List<Integer> lettersAtFlush = new ArrayList<>();

        @Override
        public void handle(DeadLetter letter) {
            letters.add(letter);
        }

        @Override
        public void flush() {
            lettersAtFlush.add(letters.size());
        }
    }

    @Test
    void poisonEventsBecomeDeadLettersAndEveryLaterEventPasses() throws Exception {
        ChangeEvent good = insert(ODD, 10, 1, new BigDecimal("123.45"), NOON, true);
        ChangeEvent tooManyDigits = insert(ODD, 20, 2, new BigDecimal("123456.78"), NOON, true);
        ChangeEvent wrongClass = insert(ODD, 30, 3, "12.30", NOON, true);
        ChangeEvent beyondMicros = insert(ODD, 40, 4, BigDecimal.ONE, LocalDateTime.of(294_270, 1, 1, 0, 0), true);
        ChangeEvent notABoolean = insert(ODD, 50, 5, BigDecimal.ONE, NOON, "yes");
        ChangeEvent later = insert(ODD, 60, 6, new BigDecimal("-999.99"), NOON, false);
        RecordingHandler handler = new RecordingHandler();

        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParquetEventLogCheck(handler)))) {
            harness.open();
            for (ChangeEvent e : List.of(good, tooManyDigits, wrongClass, beyondMicros, notABoolean, later)) {
                harness.processElement(new StreamRecord<>(e));
            }
            harness.snapshot(1, 1);

            // a timestamp past int64 microseconds is no poison: special_values carries it (docs/formats)
            assertThat(harness.extractOutputValues()).containsExactly(good, beyondMicros, later);
            assertThat(handler.letters)
                    .extracting(DeadLetter::event)
                    .containsExactly(tooManyDigits, wrongClass, notABoolean);
            assertThat(handler.lettersAtFlush)
                    .as("letters handled when the checkpoint flushed the handler")
                    .containsExactly(3);
        }
        for (DeadLetter letter : handler.letters) {
            assertThat(letter.destination()).isEqualTo("eventlog");
            assertThat(letter.table()).isEqualTo(ODD.table());
            assertThat(letter.key()).isEqualTo(letter.event().routingKey());
            assertThat(letter.eventId()).isEqualTo(letter.event().eventId());
            assertThat(letter.commitLsn()).isEqualTo(letter.event().commitLsn());
            assertThat(letter.changeLsn()).isEqualTo(letter.event().changeLsn());
            assertThat(letter.cause()).startsWith("the Parquet event log cannot hold this event");
        }
        List<String> causes = handler.letters.stream().map(DeadLetter::cause).collect(Collectors.toList());
        assertThat(causes.get(0)).contains("123456.78").contains("more digits");
        assertThat(causes.get(1)).contains("ClassCastException");
        assertThat(causes.get(2)).contains("column flag").contains("java.lang.String");
    }

    @Test
    void whatPassesTheCheckIsWhatTheWriterWrites() {
        ParquetEventLogCheck check = new ParquetEventLogCheck(DeadLetterHandler.failJob());
        assertThat(check.problem(insert(ODD, 10, 1, new BigDecimal("1.5"), NOON, null)))
                .isNull();
        assertThat(check.problem(insert(ODD, 10, 1, null, null, null))).isNull();
        assertThat(check.problem(insert(ODD, 10, 1, new BigDecimal("1.505"), NOON, true)))
                .as("a scale the column cannot hold without rounding")
                .isNotNull();
    }

    @Test
    void theWriterBehindTheCheckGetsTheCheckedRecordOfExactlyThatEvent() throws Exception {
        ParquetEventLogCheck check = new ParquetEventLogCheck(DeadLetterHandler.failJob());
        ChangeEvent event = insert(ODD, 10, 1, new BigDecimal("1.50"), NOON, true);
        ChangeEvent equalButAnother = insert(ODD, 10, 1, new BigDecimal("1.50"), NOON, true);
        List<GenericRecord> handed = new ArrayList<>();
        check.processElement(event, null, new Collector<>() {
            @Override
            public void collect(ChangeEvent passed) {
                // what the chained writer does inside collect (ParquetEventLogWriterFactory)
                handed.add(ParquetEventLogRecordHandoff.take(passed));
            }

            @Override
            public void close() {}
        });
        assertThat(handed).hasSize(1);
        assertThat(handed.get(0)).isEqualTo(new ParquetEventLogRecordConverter().toRecord(event));
        assertThat(ParquetEventLogRecordHandoff.take(event)).as("taken once").isNull();
        assertThat(check.problem(event)).isNull();
        assertThat(ParquetEventLogRecordHandoff.take(equalButAnother))
                .as("another object, even if equal")
                .isNull();

        ChangeEvent poison = insert(ODD, 20, 2, new BigDecimal("123456.78"), NOON, true);
        assertThat(check.problem(poison)).isNotNull();
        assertThat(ParquetEventLogRecordHandoff.take(poison))
                .as("nothing offered for a dead letter")
                .isNull();
    }
}
