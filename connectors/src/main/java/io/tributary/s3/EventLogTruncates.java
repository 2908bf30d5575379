package io.tributary.s3;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.TableSchema;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.api.Binary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The TRUNCATE events ({@code op} T) of one event log file, read without reading its rows: the
 * reader asks for the envelope's position columns only and filters on {@code op = 'T'}, so a row
 * group whose {@code op} dictionary or statistics hold no T is skipped after reading just those.
 * The replay uses it to find each table's last TRUNCATE before it writes anything.
 */
public final class EventLogTruncates {
    private static final String[] COLUMNS = {
        ParquetEventLogSchema.OP,
        ParquetEventLogSchema.COMMIT_TS,
        ParquetEventLogSchema.LSN,
        ParquetEventLogSchema.CHANGE_LSN,
        ParquetEventLogSchema.TX_ID
    };

    private EventLogTruncates() {}

    /** The file's TRUNCATE events in file order (no images; the schema is the file's). */
    public static List<ChangeEvent> read(Path file) throws EventLogFileException {
        ParquetEventLogReader.Footer footer = ParquetEventLogReader.footer(file);
        TableSchema table = footer.schema();
        Configuration conf = new Configuration(false);
        AvroReadSupport.setRequestedProjection(
                conf, projection(ParquetEventLogSchema.of(table).avro()));
        List<ChangeEvent> truncates = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(footer.input())
                .withDataModel(new GenericData())
                .withConf(conf)
                .withFilter(FilterCompat.get(FilterApi.eq(
                        FilterApi.binaryColumn(ParquetEventLogSchema.OP), Binary.fromString(Op.TRUNCATE.code()))))
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                truncates.add(ChangeEvent.builder()
                        .schema(table)
                        .op(Op.TRUNCATE)
                        .commitTimeMicros((Long) r.get(ParquetEventLogSchema.COMMIT_TS))
                        .commitLsn((Long) r.get(ParquetEventLogSchema.LSN))
                        .changeLsn((Long) r.get(ParquetEventLogSchema.CHANGE_LSN))
                        .txId((Long) r.get(ParquetEventLogSchema.TX_ID))
                        .build());
            }
        } catch (IOException | RuntimeException e) {
            throw new EventLogFileException(file, "cannot be searched for TRUNCATE rows: " + e.getMessage(), e);
        }
        return truncates;
    }

    private static Schema projection(Schema file) {
        List<Schema.Field> fields = new ArrayList<>();
        for (String name : COLUMNS) {
            Schema.Field f = file.getField(name);
            fields.add(new Schema.Field(f.name(), f.schema(), f.doc(), f.defaultVal()));
        }
        return Schema.createRecord(file.getName(), null, file.getNamespace(), false, fields);
    }
}
