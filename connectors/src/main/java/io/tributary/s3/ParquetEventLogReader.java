package io.tributary.s3;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.InputFile;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads one event log part file back into {@link ChangeEvent}s: the exact inverse of
 * {@link ParquetEventLogRecordConverter}. The file's own {@link TableSchema} comes from its
 * {@code tributary.schema} footer entry, so each file is read with the schema it was written with,
 * whatever the table looks like today.
 *
 * <p>Images: the row columns are the new image, or the old one for DELETE; {@code old_image} is the
 * old image of an UPDATE (and repeats it for a DELETE); a TRUNCATE ({@code op} T) has neither. Not thread-safe;
 * one file at a time.
 */
public final class ParquetEventLogReader implements Closeable {
    private final Path path;
    private final TableSchema schema;
    private final long rowCount;
    private final ParquetReader<GenericRecord> reader;
    private final Function<Object, Object>[] columns;
    private final List<String> fieldNames;
    private long rowsRead;

    private ParquetEventLogReader(Path path, TableSchema schema, long rowCount, ParquetReader<GenericRecord> reader) {
        this.path = path;
        this.schema = schema;
        this.rowCount = rowCount;
        this.reader = reader;
        ParquetEventLogSchema fileSchema = ParquetEventLogSchema.of(schema);
        this.columns = plan(fileSchema);
        this.fieldNames = fileSchema.fieldNames();
    }

    /**
     * Opens {@code file}. Fails with {@link EventLogFileException} if it is not Parquet, is truncated,
     * or has no {@code tributary.schema} footer entry (a file the event log did not write).
     */
    public static ParquetEventLogReader open(Path file) throws EventLogFileException {
        Footer footer = footer(file);
        try {
            Configuration conf = new Configuration(false);
            AvroReadSupport.setAvroReadSchema(
                    conf, ParquetEventLogSchema.of(footer.schema).avro());
            // a fresh GenericData: no logical-type conversions, values arrive in storage form
            ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(footer.input)
                    .withDataModel(new GenericData())
                    .withConf(conf)
                    .build();
            return new ParquetEventLogReader(file, footer.schema, footer.rowCount, reader);
        } catch (IOException | RuntimeException e) {
            throw new EventLogFileException(file, "cannot open it for reading: " + e.getMessage(), e);
        }
    }

    /** A file's schema and row count from its footer alone (cheap: reads the file's tail). */
    public static Footer footer(Path file) throws EventLogFileException {
        InputFile input;
        try {
            input = new FlinkParquetInputFile(file);
        } catch (IOException e) {
            throw new EventLogFileException(file, "cannot be opened: " + e.getMessage(), e);
        }
        try (ParquetFileReader reader = ParquetFileReader.open(input)) {
            FileMetaData meta = reader.getFooter().getFileMetaData();
            String json = meta.getKeyValueMetaData().get(ParquetEventLogWriterFactory.SCHEMA_METADATA_KEY);
            if (json == null) {
                throw new EventLogFileException(
                        file,
                        "is a Parquet file without the "
                                + ParquetEventLogWriterFactory.SCHEMA_METADATA_KEY
                                + " footer entry: it was not written by the"
                                + " Tributary event log; move it out of the log's directory");
            }
            long rows = 0;
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                rows += block.getRowCount();
            }
            return new Footer(input, TableSchemaJson.fromJson(json), rows);
        } catch (EventLogFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new EventLogFileException(
                    file, "is not a readable Parquet file (corrupt or truncated?): " + e.getMessage(), e);
        }
    }

    public TableSchema schema() {
        return schema;
    }

    /** Rows the footer says the file holds. */
    public long rowCount() {
        return rowCount;
    }

    /** Rows returned so far. */
    public long rowsRead() {
        return rowsRead;
    }

    /** The next event, or null at the end of the file; a decoding failure names the file and row. */
    public ChangeEvent next() throws EventLogFileException {
        GenericRecord record;
        try {
            record = reader.read();
        } catch (IOException | RuntimeException e) {
            throw new EventLogFileException(
                    path, "fails at row " + rowsRead + " of " + rowCount + ": " + e.getMessage(), e);
        }
        if (record == null) {
            return null;
        }
        try {
            ChangeEvent event = toEvent(record);
            rowsRead++;
            return event;
        } catch (RuntimeException e) {
            throw new EventLogFileException(path, "row " + rowsRead + " is not a valid change: " + e.getMessage(), e);
        }
    }

    private ChangeEvent toEvent(GenericRecord r) {
        int n = columns.length;
        Op op = op(r.get(n).toString());
        Map<?, ?> special = r.getSchema().getField(ParquetEventLogSchema.SPECIAL_VALUES) == null
                ? null
                : (Map<?, ?>) r.get(ParquetEventLogSchema.SPECIAL_VALUES); // files written before it have none
        Row image = op == Op.TRUNCATE ? null : row(r, n, special, "");
        GenericRecord old = (GenericRecord) r.get(n + 7);
        Row before = op == Op.DELETE
                ? image
                : old == null ? null : row(old, n, special, ParquetEventLogSchema.oldImageKey(""));
        return ChangeEvent.builder()
                .schema(schema)
                .op(op)
                .before(before)
                .after(op == Op.DELETE ? null : image)
                .snapshot((Boolean) r.get(n + 1))
                .commitTimeMicros((Long) r.get(n + 2))
                .commitLsn((Long) r.get(n + 3))
                .changeLsn((Long) r.get(n + 4))
                .txId((Long) r.get(n + 5))
                .unknownColumns(op == Op.DELETE ? null : unknownColumns(r))
                .build();
    }

    /** Indexes of the columns {@code unknown_columns} names (files written before it have none). */
    private int[] unknownColumns(GenericRecord r) {
        if (r.getSchema().getField(ParquetEventLogSchema.UNKNOWN_COLUMNS) == null) {
            return null;
        }
        Object names = r.get(ParquetEventLogSchema.UNKNOWN_COLUMNS);
        if (names == null) {
            return null;
        }
        List<?> list = (List<?>) names;
        int[] indexes = new int[list.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = schema.indexOf(list.get(i).toString());
            if (indexes[i] < 0) {
                throw new IllegalArgumentException(ParquetEventLogSchema.UNKNOWN_COLUMNS + " names '" + list.get(i)
                        + "', which is not a column of " + schema.table());
            }
        }
        Arrays.sort(indexes);
        return indexes;
    }

    private Row row(GenericRecord r, int n, Map<?, ?> special, String keyPrefix) {
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            Object v = r.get(i);
            values[i] = v == null ? null : columns[i].apply(v);
        }
        if (special != null) {
            for (Map.Entry<?, ?> e : special.entrySet()) {
                String key = e.getKey().toString();
                if (key.startsWith(keyPrefix)
                        && (!keyPrefix.isEmpty() || !key.startsWith(ParquetEventLogSchema.oldImageKey("")))) {
                    int i = fieldNames.indexOf(key.substring(keyPrefix.length()));
                    if (i < 0) {
                        throw new IllegalArgumentException("special_values names '" + key + "', which is no column");
                    }
                    values[i] = ParquetEventLogValues.fromSpecialText(
                            schema.column(i).type(), e.getValue().toString());
                }
            }
        }
        return Row.wrap(values);
    }

    private static Op op(String code) {
        for (Op op : Op.values()) {
            if (op.code().equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op code '" + code + "'");
    }

    @SuppressWarnings("unchecked")
    private static Function<Object, Object>[] plan(ParquetEventLogSchema schema) {
        TableSchema table = schema.table();
        Function<Object, Object>[] columns = new Function[table.size()];
        for (int i = 0; i < columns.length; i++) {
            Schema field = AvroSchemaConverter.getNonNull(
                    schema.avro().getFields().get(i).schema());
            columns[i] = ParquetEventLogValues.reader(table.column(i).type(), field);
        }
        return columns;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** What a file's footer says: its table schema and row count. */
    public static final class Footer {
        private final InputFile input;
        private final TableSchema schema;
        private final long rowCount;

        Footer(InputFile input, TableSchema schema, long rowCount) {
            this.input = input;
            this.schema = schema;
            this.rowCount = rowCount;
        }

        public TableSchema schema() {
            return schema;
        }

        public long rowCount() {
            return rowCount;
        }

        InputFile input() {
            return input;
        }
    }
}
