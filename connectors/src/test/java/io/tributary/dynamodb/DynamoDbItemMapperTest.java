package io.tributary.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.SpecialValue;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

class DynamoDbItemMapperTest {
    static final TableSchema ALL = new TableSchema(
            new TableId("public", "all_types"),
            List.of(
                    col("id", ColumnType.of(ValueKind.INT64, "int8")),
                    col("flag", ColumnType.of(ValueKind.BOOLEAN, "bool")),
                    col("small", ColumnType.of(ValueKind.INT16, "int2")),
                    col("num", ColumnType.of(ValueKind.INT32, "int4")),
                    col("r", ColumnType.of(ValueKind.FLOAT32, "float4")),
                    col("d", ColumnType.of(ValueKind.FLOAT64, "float8")),
                    col("price", ColumnType.decimal(38, 10, "numeric")),
                    col("huge", ColumnType.decimal(60, 0, "numeric")),
                    col("free", ColumnType.of(ValueKind.STRING, "numeric")),
                    col("name", ColumnType.of(ValueKind.STRING, "text")),
                    col("uid", ColumnType.of(ValueKind.UUID, "uuid")),
                    col("doc", ColumnType.of(ValueKind.JSON, "jsonb")),
                    col("scalar_doc", ColumnType.of(ValueKind.JSON, "json")),
                    col("day", ColumnType.of(ValueKind.DATE, "date")),
                    col("at", ColumnType.of(ValueKind.TIME, "time")),
                    col("ts", ColumnType.of(ValueKind.TIMESTAMP, "timestamp")),
                    col("tstz", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz")),
                    col("raw", ColumnType.of(ValueKind.BYTES, "bytea")),
                    col("tags", ColumnType.arrayOf(ColumnType.of(ValueKind.STRING, "text"), "_text")),
                    col("grid", ColumnType.arrayOf(ColumnType.of(ValueKind.INT32, "int4"), "_int4")),
                    col("missing", ColumnType.of(ValueKind.STRING, "text"))),
            List.of("id"));

    static final TableSchema LINES = new TableSchema(
            new TableId("public", "order_lines"),
            List.of(
                    col("tenant", ColumnType.of(ValueKind.STRING, "text")),
                    col("order_id", ColumnType.of(ValueKind.INT64, "int8")),
                    col("line_no", ColumnType.of(ValueKind.INT32, "int4")),
                    col("qty", ColumnType.of(ValueKind.INT32, "int4"))),
            List.of("tenant", "order_id", "line_no"));

    private static Column col(String name, ColumnType type) {
        return new Column(name, type, true);
    }

    private static ChangeEvent upsert(TableSchema schema, long commitLsn, long changeLsn, Object... values) {
        return ChangeEvent.builder()
                .schema(schema)
                .op(Op.INSERT)
                .after(Row.of(values))
                .commitLsn(commitLsn)
                .changeLsn(changeLsn)
                .commitTimeMicros(1_795_000_000_000_000L)
                .build();
    }

    @Test
    void everyValueKindMapsWithFidelity() throws Exception {
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(DynamoDbTableMapping.builder(ALL.table())
                .partitionKey("id", ScalarAttributeType.N, "id")
                .build());
        byte[] raw = {0, 1, (byte) 0xff};
        Map<String, AttributeValue> item = mapper.item(upsert(
                ALL,
                0x16B3748L,
                3,
                42L,
                true,
                (short) -7,
                123456,
                1.1f,
                0.1d,
                new BigDecimal("1234567890123456789012345678.0123456789"),
                new BigDecimal("123456789012345678901234567890123456789012345"),
                "NaN",
                "bolt",
                "0b7a3c1e-2f44-4c53-8d2e-6a2b9f4f1c11",
                "{\"a\":{\"b\":[1,2.50,\"x\",true,null]},\"n\":12345678901234567890123}",
                "17",
                LocalDate.of(2026, 11, 23),
                LocalTime.of(10, 15),
                LocalDateTime.of(2026, 11, 23, 10, 15, 30, 123_456_000),
                Instant.parse("2026-11-23T10:15:30Z"),
                raw,
                Arrays.asList("a", null, "c"),
                List.of(List.of(1, 2), List.of(3, 4)),
                null));

        assertThat(item.get("id")).isEqualTo(n("42"));
        assertThat(item.get("flag")).isEqualTo(AttributeValue.fromBool(true));
        assertThat(item.get("small")).isEqualTo(n("-7"));
        assertThat(item.get("num")).isEqualTo(n("123456"));
        assertThat(item.get("r")).isEqualTo(n("1.1"));
        assertThat(item.get("d")).isEqualTo(n("0.1"));
        assertThat(item.get("price")).isEqualTo(n("1234567890123456789012345678.0123456789"));
        assertThat(item.get("huge"))
                .as("45 digits do not fit N: kept exact as S")
                .isEqualTo(s("123456789012345678901234567890123456789012345"));
        assertThat(item.get("free")).isEqualTo(s("NaN"));
        assertThat(item.get("name")).isEqualTo(s("bolt"));
        assertThat(item.get("uid")).isEqualTo(s("0b7a3c1e-2f44-4c53-8d2e-6a2b9f4f1c11"));
        assertThat(item.get("doc"))
                .isEqualTo(AttributeValue.fromM(Map.of(
                        "a",
                                AttributeValue.fromM(Map.of(
                                        "b",
                                        AttributeValue.fromL(List.of(
                                                n("1"),
                                                n("2.50"),
                                                s("x"),
                                                AttributeValue.fromBool(true),
                                                AttributeValue.fromNul(true))))),
                        "n", n("12345678901234567890123"))));
        assertThat(item.get("scalar_doc")).isEqualTo(n("17"));
        assertThat(item.get("day")).isEqualTo(s("2026-11-23"));
        assertThat(item.get("at")).isEqualTo(s("10:15:00.000000"));
        assertThat(item.get("ts")).isEqualTo(s("2026-11-23T10:15:30.123456"));
        assertThat(item.get("tstz")).isEqualTo(s("2026-11-23T10:15:30.000000Z"));
        assertThat(item.get("raw")).isEqualTo(AttributeValue.fromB(SdkBytes.fromByteArray(raw)));
        assertThat(item.get("tags"))
                .isEqualTo(AttributeValue.fromL(List.of(s("a"), AttributeValue.fromNul(true), s("c"))));
        assertThat(item.get("grid"))
                .isEqualTo(AttributeValue.fromL(List.of(
                        AttributeValue.fromL(List.of(n("1"), n("2"))), AttributeValue.fromL(List.of(n("3"), n("4"))))));
        assertThat(item.get("missing")).isEqualTo(AttributeValue.fromNul(true));
        assertThat(item.get("_version")).isEqualTo(s("00000000016b3748-0000000000000003"));
    }

    @Test
    void numbersOutsideWhatNHoldsStayExactAsText() {
        assertThat(DynamoDbAttributeValues.fitsNumber(new BigDecimal("12345678901234567890123456789012345678")))
                .isTrue();
        assertThat(DynamoDbAttributeValues.fitsNumber(new BigDecimal("123456789012345678901234567890123456789")))
                .isFalse();
        assertThat(DynamoDbAttributeValues.fitsNumber(new BigDecimal("1E+125"))).isTrue();
        assertThat(DynamoDbAttributeValues.fitsNumber(new BigDecimal("1E+126"))).isFalse();
        assertThat(DynamoDbAttributeValues.fitsNumber(new BigDecimal("1E-130"))).isTrue();
        assertThat(DynamoDbAttributeValues.fitsNumber(new BigDecimal("1E-131"))).isFalse();
        assertThat(DynamoDbAttributeValues.of(ColumnType.of(ValueKind.FLOAT64, "float8"), Double.NaN))
                .isEqualTo(s("NaN"));
        assertThat(DynamoDbAttributeValues.of(ColumnType.decimal(40, 0, "numeric"), new BigDecimal("100.00")))
                .isEqualTo(n("100.00"));
    }

    @Test
    void compositeKeysUsePartitionAndSortOrAJoinedKey() throws Exception {
        ChangeEvent e = upsert(LINES, 10, 1, "acme#1", 7L, 3, 5);
        DynamoDbItemMapper twoAttributes = new DynamoDbItemMapper(DynamoDbTableMapping.builder(LINES.table())
                .targetTable("order-lines")
                .partitionKey("pk", ScalarAttributeType.S, "tenant", "order_id")
                .sortKey("line_no", ScalarAttributeType.N, "line_no")
                .excludeColumns("tenant")
                .rename("qty", "quantity")
                .build());
        Map<String, AttributeValue> item = twoAttributes.item(e);
        assertThat(twoAttributes.key(e))
                .containsExactly(Map.entry("pk", s("acme\\#1#7")), Map.entry("line_no", n("3")));
        assertThat(item)
                .containsOnlyKeys("pk", "line_no", "order_id", "quantity", "_version")
                .containsEntry("quantity", n("5"))
                .containsEntry("order_id", n("7"));
    }

    @Test
    void tombstoneKeepsKeyVersionFlagAndTtlFromCommitTime() throws Exception {
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(DynamoDbTableMapping.builder(LINES.table())
                .partitionKey("order_id", ScalarAttributeType.N, "order_id")
                .sortKey("line", ScalarAttributeType.S, "tenant", "line_no")
                .tombstone("deleted", "expires", Duration.ofDays(1))
                .build());
        ChangeEvent delete = ChangeEvent.builder()
                .schema(LINES)
                .op(Op.DELETE)
                .before(Row.of("t", 7L, 3, 5))
                .commitLsn(20)
                .changeLsn(19)
                .commitTimeMicros(1_795_000_000_000_000L)
                .build();
        assertThat(mapper.tombstone(delete))
                .containsOnly(
                        Map.entry("order_id", n("7")),
                        Map.entry("line", s("t#3")),
                        Map.entry("_version", s(DynamoDbItemMapper.version(20, 19))),
                        Map.entry("deleted", AttributeValue.fromBool(true)),
                        Map.entry("expires", n(Long.toString(1_795_000_000L + 86_400))));
    }

    @Test
    void changeWithUnknownColumnsUpdatesTheKnownAttributesAndKeepsTheOthers() throws Exception {
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(DynamoDbTableMapping.builder(LINES.table())
                .partitionKey("order_id", ScalarAttributeType.N, "order_id")
                .sortKey("line", ScalarAttributeType.S, "tenant", "line_no")
                .tombstone("deleted", "expires", Duration.ofDays(1))
                .build());
        ChangeEvent update = ChangeEvent.builder()
                .schema(LINES)
                .op(Op.UPDATE)
                .before(Row.of("t", 7L, 3, 1))
                .after(Row.of("t", 7L, 3, null))
                .unknownColumns(3)
                .commitLsn(30)
                .changeLsn(29)
                .commitTimeMicros(1_795_000_000_000_000L)
                .build();
        assertThat(mapper.item(update)).doesNotContainKey("qty");

        DynamoDbConditionalWrite write = DynamoDbConditionalWrite.of(update, mapper);
        UpdateItemRequest request = write.updateRequest();
        assertThat(request)
                .as("an UpdateItem, not a PutItem that would drop qty")
                .isNotNull();
        assertThat(request.key()).containsOnly(Map.entry("order_id", n("7")), Map.entry("line", s("t#3")));
        assertThat(request.conditionExpression()).isEqualTo(DynamoDbConditionalWrite.CONDITION);
        assertThat(request.updateExpression()).endsWith("#v = :v REMOVE #deleted, #ttl");
        assertThat(request.expressionAttributeNames())
                .doesNotContainValue("qty")
                .containsEntry("#v", "_version")
                .containsEntry("#deleted", "deleted")
                .containsEntry("#ttl", "expires")
                .containsValues("tenant", "line_no");
        assertThat(request.expressionAttributeValues()).containsEntry(":v", s(DynamoDbItemMapper.version(30, 29)));

        ChangeEvent whole = upsert(LINES, 40, 39, "t", 7L, 3, 2);
        assertThat(DynamoDbConditionalWrite.of(whole, mapper).updateRequest())
                .as("known rows stay PutItem")
                .isNull();
    }

    @Test
    void versionTextSortsLikeUnsignedPositions() {
        long[][] positions = {
            {0, 0},
            {1, 0},
            {1, 1},
            {1, -1L},
            {0x7fffffffffffffffL, 5},
            {Long.MIN_VALUE, 0},
            {-2L, 7},
            {-1L, -2L},
            {-1L, -1L}
        };
        for (int i = 0; i + 1 < positions.length; i++) {
            String a = DynamoDbItemMapper.version(positions[i][0], positions[i][1]);
            String b = DynamoDbItemMapper.version(positions[i + 1][0], positions[i + 1][1]);
            assertThat(a).hasSize(33).isLessThan(b);
            ChangeEvent later = upsert(LINES, positions[i + 1][0], positions[i + 1][1], "t", 1L, 1, 1);
            assertThat(later.isAfter(positions[i][0], positions[i][1])).isTrue();
        }
    }

    @Test
    void oversizedItemsAndEmptyKeysAreUnmappableNotDropped() {
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(DynamoDbTableMapping.builder(LINES.table())
                .partitionKey("tenant", ScalarAttributeType.S, "tenant")
                .build());
        TableSchema wide = new TableSchema(
                LINES.table(),
                List.of(
                        col("tenant", ColumnType.of(ValueKind.STRING, "text")),
                        col("blob", ColumnType.of(ValueKind.STRING, "text"))),
                List.of("tenant"));
        assertThatThrownBy(() -> mapper.item(upsert(wide, 1, 1, "t", "x".repeat(410_000))))
                .isInstanceOf(DynamoDbUnmappableException.class)
                .hasMessageContaining("400 KB");
        assertThatThrownBy(() -> mapper.item(upsert(wide, 1, 1, "", "x")))
                .isInstanceOf(DynamoDbUnmappableException.class)
                .hasMessageContaining("empty string");
    }

    @Test
    void mappingThatDoesNotFitTheSchemaFailsWithWhatToFix() {
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(DynamoDbTableMapping.builder(LINES.table())
                .partitionKey("pk", ScalarAttributeType.N, "tenant")
                .build());
        assertThatThrownBy(() -> mapper.item(upsert(LINES, 1, 1, "t", 1L, 1, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declare it as S");
    }

    static AttributeValue n(String text) {
        return AttributeValue.fromN(text);
    }

    static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    @Test
    void specialValuesAreStringsInPostgresSpelling() {
        assertThat(DynamoDbAttributeValues.of(ColumnType.decimal(10, 2, "numeric"), SpecialValue.NAN))
                .isEqualTo(s("NaN"));
        assertThat(DynamoDbAttributeValues.of(ColumnType.of(ValueKind.DATE, "date"), SpecialValue.POSITIVE_INFINITY))
                .isEqualTo(s("infinity"));
        assertThat(DynamoDbAttributeValues.of(
                        ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), SpecialValue.NEGATIVE_INFINITY))
                .isEqualTo(s("-infinity"));
        assertThat(DynamoDbAttributeValues.of(ColumnType.of(ValueKind.TIME, "time"), SpecialValue.END_OF_DAY))
                .isEqualTo(s("24:00:00"));
        assertThat(DynamoDbAttributeValues.of(ColumnType.of(ValueKind.STRING, "numeric"), "Infinity"))
                .isEqualTo(s("Infinity"));
        assertThat(DynamoDbAttributeValues.of(ColumnType.of(ValueKind.DATE, "date"), LocalDate.of(0, 1, 1)))
                .as("1 BC is ISO year 0")
                .isEqualTo(s("0000-01-01"));
        assertThat(DynamoDbAttributeValues.of(
                        ColumnType.of(ValueKind.TIMESTAMP, "timestamp"), LocalDateTime.of(12_000, 6, 1, 10, 0)))
                .isEqualTo(s("+12000-06-01T10:00:00.000000"));
    }

    @Test
    void aSpecialValueInANumberKeyIsUnmappable() {
        TableSchema t = new TableSchema(
                new TableId("public", "odd_keys"),
                List.of(new Column("k", ColumnType.decimal(10, 2, "numeric"), false)),
                List.of("k"));
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(DynamoDbTableMapping.builder(t.table())
                .partitionKey("k", ScalarAttributeType.N, "k")
                .build());
        assertThatThrownBy(() -> mapper.item(upsert(t, 1, 1, SpecialValue.NAN)))
                .isInstanceOf(DynamoDbUnmappableException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void jsonNestedDeeperThanDynamoDbAllowsIsItsText() {
        String deep = "[".repeat(120) + "]".repeat(120);
        assertThat(DynamoDbAttributeValues.json(deep)).isEqualTo(s(deep));
        String deepest =
                "[".repeat(DynamoDbAttributeValues.MAX_JSON_DEPTH) + "]".repeat(DynamoDbAttributeValues.MAX_JSON_DEPTH);
        assertThat(DynamoDbAttributeValues.json(deepest).l())
                .as("31 levels stay a list")
                .isNotNull();
        String tooDeep = "[" + deepest + "]";
        assertThat(DynamoDbAttributeValues.json(tooDeep)).isEqualTo(s(tooDeep));
    }
}
