package io.tributary.s3;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.util.ArrayList;
import java.util.List;

/**
 * Marks PostgreSQL's zone-less {@code timestamp} and {@code time} columns as not UTC-adjusted in a
 * Parquet schema converted from Avro.
 *
 * <p>parquet-avro 1.13 knows no {@code local-timestamp-micros} and writes every Avro time type as
 * UTC-adjusted; readers would then shift wall-clock values by their session zone. The values are
 * the same 64-bit microseconds either way, so only the annotation changes.
 */
final class ParquetLocalTimeTypes {
    private ParquetLocalTimeTypes() {}

    static MessageType patch(MessageType parquet, Schema avro) {
        return new MessageType(parquet.getName(), patchFields(parquet, avro));
    }

    private static List<Type> patchFields(GroupType group, Schema record) {
        List<Type> fields = new ArrayList<>();
        for (Type field : group.getFields()) {
            fields.add(patch(field, record.getField(field.getName()).schema()));
        }
        return fields;
    }

    private static Type patch(Type parquet, Schema avro) {
        Schema s = AvroSchemaConverter.getNonNull(avro);
        switch (s.getType()) {
            case RECORD:
                return parquet.asGroupType().withNewFields(patchFields(parquet.asGroupType(), s));
            case ARRAY: {
                // three-level list: <name> (LIST) { repeated group list { <element> } }
                GroupType list = parquet.asGroupType();
                GroupType repeated = list.getType(0).asGroupType();
                Type element = patch(repeated.getType(0), s.getElementType());
                return list.withNewFields(repeated.withNewFields(element));
            }
            case LONG:
                return patchLong(parquet.asPrimitiveType(), s.getLogicalType());
            default:
                return parquet;
        }
    }

    private static Type patchLong(PrimitiveType parquet, LogicalType logical) {
        LogicalTypeAnnotation annotation;
        if (logical instanceof LogicalTypes.LocalTimestampMicros) {
            annotation = LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS);
        } else if (logical instanceof LogicalTypes.TimeMicros) {
            annotation = LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MICROS);
        } else {
            return parquet;
        }
        return Types.primitive(PrimitiveType.PrimitiveTypeName.INT64, parquet.getRepetition())
                .as(annotation)
                .named(parquet.getName());
    }
}
