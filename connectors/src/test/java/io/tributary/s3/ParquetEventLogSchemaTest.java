package io.tributary.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableSchema;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;

class ParquetEventLogSchemaTest {

    @Test
    void everyValueKindHasItsParquetLogicalType() {
        MessageType parquet =
                ParquetEventLogSchema.of(EventLogFixtures.allTypes()).parquet();
        assertThat(type(parquet, "id")).isEqualTo("optional int64 id");
        assertThat(type(parquet, "flag")).isEqualTo("optional boolean flag");
        assertThat(type(parquet, "small")).isEqualTo("optional int32 small");
        assertThat(type(parquet, "num")).isEqualTo("optional int32 num");
        assertThat(type(parquet, "real_v")).isEqualTo("optional float real_v");
        assertThat(type(parquet, "double_v")).isEqualTo("optional double double_v");
        assertThat(type(parquet, "price")).isEqualTo("optional fixed_len_byte_array(6) price (DECIMAL(12,3))");
        assertThat(type(parquet, "huge")).isEqualTo("optional binary huge (STRING)");
        assertThat(type(parquet, "name")).isEqualTo("optional binary name (STRING)");
        assertThat(type(parquet, "uid")).isEqualTo("optional binary uid (STRING)");
        assertThat(type(parquet, "doc")).isEqualTo("optional binary doc (STRING)");
        assertThat(type(parquet, "day")).isEqualTo("optional int32 day (DATE)");
        assertThat(type(parquet, "clock")).isEqualTo("optional int64 clock (TIME(MICROS,false))");
        assertThat(type(parquet, "local_ts")).isEqualTo("optional int64 local_ts (TIMESTAMP(MICROS,false))");
        assertThat(type(parquet, "zoned_ts")).isEqualTo("optional int64 zoned_ts (TIMESTAMP(MICROS,true))");
        assertThat(type(parquet, "blob")).isEqualTo("optional binary blob");
        assertThat(type(parquet, "tags"))
                .isEqualTo("optional group tags (LIST) {\n"
                        + "  repeated group list {\n    optional binary element (STRING);\n  }\n}");
        assertThat(type(parquet, "amounts")).contains("optional fixed_len_byte_array(3) element (DECIMAL(5,2))");
    }

    @Test
    void envelopeFollowsTheRowAndOldImageRepeatsIt() {
        ParquetEventLogSchema schema = ParquetEventLogSchema.of(EventLogFixtures.allTypes());
        MessageType parquet = schema.parquet();
        assertThat(type(parquet, "op")).isEqualTo("required binary op (STRING)");
        assertThat(type(parquet, "is_snapshot")).isEqualTo("required boolean is_snapshot");
        assertThat(type(parquet, "commit_ts")).isEqualTo("required int64 commit_ts (TIMESTAMP(MICROS,true))");
        assertThat(type(parquet, "lsn")).isEqualTo("required int64 lsn");
        assertThat(type(parquet, "change_lsn")).isEqualTo("required int64 change_lsn");
        assertThat(type(parquet, "tx_id")).isEqualTo("required int64 tx_id");
        assertThat(type(parquet, "event_id")).isEqualTo("required binary event_id (STRING)");
        int rowColumns = schema.table().size();
        assertThat(parquet.getFields().get(rowColumns + 8).getName()).isEqualTo("unknown_columns");
        assertThat(type(parquet, "unknown_columns")).startsWith("optional group unknown_columns (LIST)");
        assertThat(parquet.getFields().get(rowColumns + 9).getName()).isEqualTo("special_values");
        assertThat(parquet.getFieldCount()).isEqualTo(rowColumns + 10);
        assertThat(parquet.getType("special_values").getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.mapType());
        assertThat(parquet.getType("old_image").asGroupType().getFields())
                .isEqualTo(parquet.getFields().subList(0, rowColumns));
    }

    @Test
    void sourceColumnNamedLikeEnvelopeIsPrefixed() {
        TableSchema table = EventLogFixtures.allTypes();
        ParquetEventLogSchema schema = ParquetEventLogSchema.of(table);
        assertThat(schema.fieldNames().get(table.indexOf("op"))).isEqualTo("src_op");
        assertThat(schema.parquet().getType("src_op").toString()).isEqualTo("optional binary src_op (STRING)");
    }

    @Test
    void decimalWidthHoldsEveryValueOfItsPrecision() {
        assertThat(ParquetEventLogSchema.decimalBytes(2)).isEqualTo(1);
        assertThat(ParquetEventLogSchema.decimalBytes(9)).isEqualTo(4);
        assertThat(ParquetEventLogSchema.decimalBytes(18)).isEqualTo(8);
        assertThat(ParquetEventLogSchema.decimalBytes(38)).isEqualTo(16);
    }

    private static String type(MessageType parquet, String field) {
        return parquet.getType(field).toString();
    }
}
