package io.tributary.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableSchema;

import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class AthenaDdlTest {
    private final TableSchema table = EventLogFixtures.allTypes();
    private final AthenaDdl ddl = new AthenaDdl("cdc", "s3://bucket/events/", LocalDate.of(2026, 1, 1));

    @Test
    void columnTypesMatchTheParquetFilesExactly() {
        List<String> expected = new ArrayList<>();
        for (Type field : ParquetEventLogSchema.of(table).parquet().getFields()) {
            expected.add("`" + field.getName() + "` " + athenaType(field));
        }
        List<String> declared = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^  (`\\w+` .+?),?$")
                .matcher(ddl.createTable(table).split("\\)\nPARTITIONED")[0]);
        while (m.find()) {
            declared.add(m.group(1));
        }
        assertThat(declared).containsExactlyElementsOf(expected);
        assertThat(declared)
                .contains(
                        "`price` decimal(12,3)",
                        "`small` int",
                        "`local_ts` timestamp",
                        "`tags` array<string>",
                        "`amounts` array<decimal(5,2)>",
                        "`src_op` string",
                        "`clock` bigint");
    }

    @Test
    void partitionProjectionCoversDatesAndHours() {
        String sql = ddl.createTable(table);
        assertThat(sql)
                .startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `cdc`.`public_all_types` (")
                .contains("PARTITIONED BY (`dt` string, `hr` string)\nSTORED AS PARQUET\n"
                        + "LOCATION 's3://bucket/events/public.all_types/'")
                .contains(
                        "'projection.dt.type'='date'",
                        "'projection.dt.format'='yyyy-MM-dd'",
                        "'projection.dt.range'='2026-01-01,NOW'",
                        "'projection.hr.type'='integer'",
                        "'projection.hr.range'='0,23'",
                        "'projection.hr.digits'='2'",
                        "'storage.location.template'='s3://bucket/events/public.all_types/dt=${dt}/hr=${hr}/'");
    }

    @Test
    void latestViewRanksByPositionAndDropsDeletedAndTruncatedRows() {
        assertThat(ddl.createLatestView(table))
                .startsWith("CREATE OR REPLACE VIEW \"cdc\".\"public_all_types_latest\" AS\nSELECT ranked.\"id\", ")
                .contains("ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY lsn DESC, change_lsn DESC) AS row_rank")
                .contains("FROM \"cdc\".\"public_all_types\"")
                .contains("WHERE op = 'T'")
                .contains("WHERE ranked.row_rank = 1 AND ranked.op <> 'D'");
        assertThat(ddl.asOfQuery(table, Instant.parse("2026-11-23T10:15:30.123456Z")))
                .contains("WHERE op <> 'T' AND commit_ts <= TIMESTAMP '2026-11-23 10:15:30.123456'")
                .contains("WHERE op = 'T' AND commit_ts <= TIMESTAMP '2026-11-23 10:15:30.123456'");
    }

    /** What Athena must declare for a Parquet field, derived from the file schema alone. */
    private static String athenaType(Type t) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            return "array<"
                    + athenaType(t.asGroupType().getType(0).asGroupType().getType(0)) + ">";
        }
        if (a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
            GroupType entry = t.asGroupType().getType(0).asGroupType();
            return "map<" + athenaType(entry.getType(0)) + "," + athenaType(entry.getType(1)) + ">";
        }
        if (!t.isPrimitive()) {
            GroupType g = t.asGroupType();
            List<String> fields = new ArrayList<>();
            for (Type f : g.getFields()) {
                fields.add("`" + f.getName() + "`:" + athenaType(f));
            }
            return "struct<" + String.join(",", fields) + ">";
        }
        if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
            LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d =
                    (LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a;
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
            return "string";
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return "date";
        }
        if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
            return "timestamp";
        }
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
            return "bigint";
        }
        switch (((PrimitiveType) t).getPrimitiveTypeName()) {
            case BOOLEAN:
                return "boolean";
            case INT32:
                return "int";
            case INT64:
                return "bigint";
            case FLOAT:
                return "float";
            case DOUBLE:
                return "double";
            case BINARY:
                return "binary";
            default:
                throw new AssertionError("unexpected Parquet type " + t);
        }
    }
}
