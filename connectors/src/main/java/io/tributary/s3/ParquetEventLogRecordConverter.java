package io.tributary.s3;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroSchemaConverter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Turns a {@link ChangeEvent} into the Avro record its event log file holds.
 *
 * <p>Values are put in their Avro storage form (micros, days, fixed bytes) by a per-column plan of
 * {@link ParquetEventLogValues} writers compiled once per schema fingerprint, so writing needs no Avro
 * logical-type conversions and no per-value lookups.
 */
public final class ParquetEventLogRecordConverter {
    private final Map<Long, Plan> plans = new ConcurrentHashMap<>();

    /** The Avro record of {@code event}: row columns, envelope, old image, unknown columns. */
    public GenericRecord toRecord(ChangeEvent event) {
        Plan plan = plan(event.schema());
        Row image = event.op() == Op.DELETE ? event.before() : event.after();
        GenericData.Record record = new GenericData.Record(plan.schema.avro());
        int n = plan.columns.length;
        Map<String, String> special = null; // made on the first special value: almost every event has none
        if (image != null) { // a TRUNCATE has no row values: its columns stay null
            special = plan.fill(record, image, event, "", special);
        }
        record.put(n, event.op().code());
        record.put(n + 1, event.snapshot());
        record.put(n + 2, event.commitTimeMicros());
        record.put(n + 3, event.commitLsn());
        record.put(n + 4, event.changeLsn());
        record.put(n + 5, event.txId());
        record.put(n + 6, event.eventId());
        if (event.op() != Op.INSERT && event.before() != null) {
            GenericData.Record old = new GenericData.Record(plan.oldImage);
            special = plan.fill(old, event.before(), event, ParquetEventLogSchema.oldImageKey(""), special);
            record.put(n + 7, old);
        }
        if (event.unknownColumnCount() > 0) {
            record.put(ParquetEventLogSchema.UNKNOWN_COLUMNS, event.unknownColumns());
        }
        record.put(ParquetEventLogSchema.SPECIAL_VALUES, special);
        return record;
    }

    /** The file schema of {@code table}, cached per fingerprint. */
    public ParquetEventLogSchema schemaOf(TableSchema table) {
        return plan(table).schema;
    }

    private Plan plan(TableSchema table) {
        Plan plan = plans.get(table.fingerprint());
        if (plan == null || !plan.schema.table().equals(table)) {
            plan = new Plan(ParquetEventLogSchema.of(table));
            plans.put(table.fingerprint(), plan);
        }
        return plan;
    }

    private static final class Plan {
        final ParquetEventLogSchema schema;
        final Schema oldImage;
        final Function<Object, Object>[] columns;

        @SuppressWarnings("unchecked")
        Plan(ParquetEventLogSchema schema) {
            this.schema = schema;
            this.oldImage = AvroSchemaConverter.getNonNull(
                    schema.avro().getField(ParquetEventLogSchema.OLD_IMAGE).schema());
            TableSchema table = schema.table();
            this.columns = new Function[table.size()];
            for (int i = 0; i < columns.length; i++) {
                Schema field = AvroSchemaConverter.getNonNull(
                        schema.avro().getFields().get(i).schema());
                columns[i] = ParquetEventLogValues.writer(table.column(i).type(), field);
            }
        }

        /**
         * Puts the row's typed values; a value its column cannot hold is left NULL and put in {@code special}
         * (made here if null). Returns {@code special}, still null if the row has no such value.
         */
        Map<String, String> fill(
                GenericData.Record record, Row row, ChangeEvent event, String keyPrefix, Map<String, String> special) {
            for (int i = 0; i < columns.length; i++) {
                Object v = row.get(i);
                if (v == Row.UNCHANGED_TOAST) {
                    throw new IllegalStateException(
                            "column " + schema.table().column(i).name() + " of " + event
                                    + " still holds an unchanged-TOAST placeholder: route events through the sequencer"
                                    + " before the event log, or set REPLICA IDENTITY FULL on the table");
                }
                String text = v == null
                        ? null
                        : ParquetEventLogValues.specialText(
                                schema.table().column(i).type(), v);
                if (text != null) {
                    if (special == null) {
                        special = new LinkedHashMap<>();
                    }
                    special.put(keyPrefix + schema.fieldNames().get(i), text);
                    v = null;
                }
                record.put(i, v == null ? null : columns[i].apply(v));
            }
            return special;
        }
    }
}
