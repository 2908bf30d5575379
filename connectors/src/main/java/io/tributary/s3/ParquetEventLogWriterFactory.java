package io.tributary.s3;

import io.tributary.event.ChangeEvent;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes one event log part file: a snappy Parquet file of one table at one schema version.
 *
 * <p>A {@link BulkWriter.Factory} is asked for a writer before the file's first element is known,
 * so the Parquet writer is created from the first element's schema. The bucket assigner keeps
 * schema versions apart, so a second schema in one file is a bug and fails loudly. Flink's own
 * {@link ParquetWriterFactory} supplies the stream adapter.
 */
public final class ParquetEventLogWriterFactory implements BulkWriter.Factory<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /** Footer key holding the file's {@link io.tributary.event.TableSchema} as JSON. */
    public static final String SCHEMA_METADATA_KEY = "tributary.schema";

    private transient ParquetEventLogRecordConverter converter;

    @Override
    public BulkWriter<ChangeEvent> create(FSDataOutputStream out) {
        if (converter == null) {
            converter = new ParquetEventLogRecordConverter();
        }
        return new LazyWriter(out, converter);
    }

    /** A Parquet writer of {@code schema} on {@code file}; also used by tests and tools. */
    public static ParquetWriter<GenericRecord> parquetWriter(OutputFile file, ParquetEventLogSchema schema)
            throws IOException {
        return new Builder(file, schema)
                .withConf(ParquetEventLogSchema.hadoopConf())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                // unique per change: a dictionary would only be filled, hashed and thrown away at its size limit
                .withDictionaryEncoding(ParquetEventLogSchema.CHANGE_LSN, false)
                .withDictionaryEncoding(ParquetEventLogSchema.EVENT_ID, false)
                .build();
    }

    private static final class LazyWriter implements BulkWriter<ChangeEvent> {
        private final FSDataOutputStream out;
        private final ParquetEventLogRecordConverter converter;
        private BulkWriter<GenericRecord> delegate;
        private ParquetEventLogSchema schema;

        LazyWriter(FSDataOutputStream out, ParquetEventLogRecordConverter converter) {
            this.out = out;
            this.converter = converter;
        }

        @Override
        public void addElement(ChangeEvent event) throws IOException {
            if (delegate == null) {
                schema = converter.schemaOf(event.schema());
                ParquetEventLogSchema fileSchema = schema;
                delegate = new ParquetWriterFactory<GenericRecord>(file -> parquetWriter(file, fileSchema)).create(out);
            } else if (event.schema().fingerprint() != schema.table().fingerprint()) {
                throw new IllegalStateException("event " + event + " has schema " + event.schema()
                        + " but its part file was opened for " + schema.table()
                        + "; the event log's bucket assigner must give each schema version its own bucket");
            }
            GenericRecord checked = ParquetEventLogRecordHandoff.take(event); // converted by ParquetEventLogCheck
            delegate.addElement(checked != null ? checked : converter.toRecord(event));
        }

        @Override
        public void flush() throws IOException {
            if (delegate != null) {
                delegate.flush();
            }
        }

        @Override
        public void finish() throws IOException {
            if (delegate != null) {
                delegate.finish();
            }
        }
    }

    private static final class Builder extends ParquetWriter.Builder<GenericRecord, Builder> {
        private final ParquetEventLogSchema schema;

        Builder(OutputFile file, ParquetEventLogSchema schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<GenericRecord> getWriteSupport(Configuration conf) {
            return new SchemaFooterWriteSupport(schema);
        }
    }

    /** Avro write support that also stores the source schema in the footer. */
    private static final class SchemaFooterWriteSupport extends AvroWriteSupport<GenericRecord> {
        private final ParquetEventLogSchema schema;

        SchemaFooterWriteSupport(ParquetEventLogSchema schema) {
            super(schema.parquet(), schema.avro(), new GenericData());
            this.schema = schema;
        }

        @Override
        public WriteContext init(Configuration conf) {
            WriteContext context = super.init(conf);
            Map<String, String> meta = new HashMap<>(context.getExtraMetaData());
            meta.put(SCHEMA_METADATA_KEY, TableSchemaJson.toJson(schema.table()));
            return new WriteContext(context.getSchema(), meta);
        }
    }
}
