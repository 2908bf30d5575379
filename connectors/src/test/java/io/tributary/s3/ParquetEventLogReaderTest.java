package io.tributary.s3;

import static io.tributary.s3.EventLogFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ParquetEventLogReaderTest {
    private final TableSchema schema = EventLogFixtures.allTypes();

    static Path write(java.nio.file.Path file, List<ChangeEvent> events) throws Exception {
        Path path = new Path(file.toUri());
        try (FSDataOutputStream out = path.getFileSystem().create(path, FileSystem.WriteMode.NO_OVERWRITE)) {
            BulkWriter<ChangeEvent> writer = new ParquetEventLogWriterFactory().create(out);
            for (ChangeEvent e : events) {
                writer.addElement(e);
            }
            writer.finish();
        }
        return path;
    }

    static List<ChangeEvent> readAll(Path path) throws Exception {
        List<ChangeEvent> read = new ArrayList<>();
        try (ParquetEventLogReader reader = ParquetEventLogReader.open(path)) {
            for (ChangeEvent e = reader.next(); e != null; e = reader.next()) {
                read.add(e);
            }
        }
        return read;
    }

    @Test
    void everyValueKindAndOpSurvivesARoundTripThroughTheWriter(@TempDir java.nio.file.Path dir) throws Exception {
        Set<ValueKind> covered = EnumSet.noneOf(ValueKind.class);
        schema.columns().forEach(c -> covered.add(c.type().kind()));
        assertThat(covered).as("the fixture has a column of every kind").isEqualTo(EnumSet.allOf(ValueKind.class));

        Row first = ParquetEventLogRecordConverterTest.fullRow(1, "-12.345");
        Row second = ParquetEventLogRecordConverterTest.fullRow(1, "99.000");
        Object[] nulls = new Object[schema.size()];
        nulls[0] = 2L;
        Row sparse = Row.of(nulls);
        List<ChangeEvent> events = Arrays.asList(
                event(schema, Op.INSERT, null, first, 100, 1, "2026-11-23T10:15:30Z").toBuilder()
                        .snapshot(true)
                        .build(),
                event(schema, Op.UPDATE, first, second, 200, 3, "2026-11-23T10:16:00.000001Z"),
                event(schema, Op.INSERT, null, sparse, 201, 4, "1969-12-31T23:59:59.999999Z"),
                event(schema, Op.UPDATE, null, sparse, 202, 5, "2026-11-23T10:17:00Z"),
                event(schema, Op.DELETE, second, null, 300, 7, "2026-11-23T10:18:00Z"));

        Path file = write(dir.resolve("part-0.parquet"), events);
        List<ChangeEvent> read = readAll(file);

        assertThat(read).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent want = events.get(i);
            ChangeEvent got = read.get(i);
            assertThat(got).as("event %s", i).isEqualTo(want);
            assertThat(got.eventId()).isEqualTo(want.eventId());
            assertThat(got.schema().fingerprint()).isEqualTo(schema.fingerprint());
        }
        assertThat(read.get(4).after())
                .as("a DELETE's row columns are its old image")
                .isNull();
        assertThat(read.get(0).before()).as("an INSERT has no old image").isNull();
    }

    @Test
    void unknownColumnsAreWrittenAsSourceNamesAndReadBack(@TempDir java.nio.file.Path dir) throws Exception {
        Row full = ParquetEventLogRecordConverterTest.fullRow(1, "1.000");
        Object[] values = full.toArray();
        int[] unknown = {3, 7};
        for (int i : unknown) {
            values[i] = null;
        }
        ChangeEvent partly =
                event(schema, Op.UPDATE, full, Row.wrap(values), 400, 9, "2026-11-23T10:19:00Z").toBuilder()
                        .unknownColumns(unknown)
                        .build();
        ChangeEvent known = event(schema, Op.UPDATE, full, full, 500, 10, "2026-11-23T10:20:00Z");

        GenericRecord record = new ParquetEventLogRecordConverter().toRecord(partly);
        assertThat((List<?>) record.get(ParquetEventLogSchema.UNKNOWN_COLUMNS))
                .extracting(Object::toString)
                .containsExactly(schema.column(3).name(), schema.column(7).name());
        assertThat(new ParquetEventLogRecordConverter().toRecord(known).get(ParquetEventLogSchema.UNKNOWN_COLUMNS))
                .isNull();
        List<String> fields = new ArrayList<>();
        ParquetEventLogSchema.of(schema).avro().getFields().forEach(f -> fields.add(f.name()));
        assertThat(fields.indexOf(ParquetEventLogSchema.UNKNOWN_COLUMNS))
                .as("appended after the envelope")
                .isGreaterThan(fields.indexOf(ParquetEventLogSchema.OLD_IMAGE));

        List<ChangeEvent> read = readAll(write(dir.resolve("part-u.parquet"), List.of(partly, known)));
        assertThat(read.get(0)).isEqualTo(partly);
        assertThat(read.get(0).unknownColumnIndexes()).containsExactly(unknown);
        assertThat(read.get(1).unknownColumns()).isEmpty();
    }

    @Test
    void fileWithoutTheSchemaFooterIsRefusedWithTheReason(@TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path garbage = dir.resolve("part-x.parquet");
        Files.write(garbage, "not parquet at all".getBytes());
        assertThatThrownBy(() -> ParquetEventLogReader.open(new Path(garbage.toUri())))
                .isInstanceOf(EventLogFileException.class)
                .hasMessageContaining("not a readable Parquet file");

        Path good = write(
                dir.resolve("part-1.parquet"),
                List.of(event(
                        schema,
                        Op.INSERT,
                        null,
                        ParquetEventLogRecordConverterTest.fullRow(1, "1.000"),
                        1,
                        1,
                        "2026-11-23T10:15:30Z")));
        byte[] bytes = Files.readAllBytes(java.nio.file.Path.of(good.toUri()));
        java.nio.file.Path truncated = dir.resolve("part-2.parquet");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ParquetEventLogReader.open(new Path(truncated.toUri())))
                .isInstanceOf(EventLogFileException.class)
                .hasMessageContaining(truncated.getFileName().toString());
        assertThat(ParquetEventLogReader.footer(good).rowCount()).isEqualTo(1);
    }

    @Test
    void specialValuesComeBackAsTheyWereWritten(@TempDir java.nio.file.Path dir) throws Exception {
        Row special = ParquetEventLogRecordConverterTest.specialRow(1);
        Row plain = ParquetEventLogRecordConverterTest.fullRow(1, "3.000");
        List<ChangeEvent> events = Arrays.asList(
                event(schema, Op.INSERT, null, special, 100, 1, "2026-11-23T10:15:30Z"),
                event(schema, Op.UPDATE, special, plain, 200, 2, "2026-11-23T10:16:00Z"),
                event(schema, Op.UPDATE, plain, special, 300, 3, "2026-11-23T10:17:00Z"),
                event(schema, Op.DELETE, special, null, 400, 4, "2026-11-23T10:18:00Z"));
        assertThat(readAll(write(dir.resolve("part-0.parquet"), events))).isEqualTo(events);
    }

    @Test
    void columnsUniquePerChangeAreWrittenWithoutADictionary(@TempDir java.nio.file.Path dir) throws Exception {
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Row row = ParquetEventLogRecordConverterTest.fullRow(i, "1.000");
            events.add(event(schema, Op.INSERT, null, row, 100 + i, 1, "2026-11-23T10:15:30Z"));
        }
        Path file = write(dir.resolve("part-0.parquet"), events);
        Map<String, Set<Encoding>> encodings = new HashMap<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new FlinkParquetInputFile(file))) {
            for (var block : reader.getFooter().getBlocks()) {
                for (var column : block.getColumns()) {
                    encodings.put(column.getPath().toDotString(), column.getEncodings());
                }
            }
        }
        for (String unique : List.of(ParquetEventLogSchema.CHANGE_LSN, ParquetEventLogSchema.EVENT_ID)) {
            assertThat(encodings.get(unique))
                    .as(unique)
                    .isNotNull()
                    .doesNotContain(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
        }
        assertThat(encodings.get(ParquetEventLogSchema.OP))
                .as("repeating columns keep their dictionary")
                .contains(Encoding.PLAIN_DICTIONARY);
    }
}
