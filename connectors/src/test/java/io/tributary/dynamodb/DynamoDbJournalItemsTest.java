package io.tributary.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

class DynamoDbJournalItemsTest {
    private static final TableSchema PAIRS = new TableSchema(
            new TableId("public", "pairs"),
            List.of(
                    new Column("a", ColumnType.of(ValueKind.STRING, "text"), false),
                    new Column("b", ColumnType.of(ValueKind.INT64, "int8"), false),
                    new Column("note", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("amount", ColumnType.decimal(12, 2, "numeric"), true)),
            List.of("a", "b"));
    private static final DynamoDbJournalItems ITEMS = new DynamoDbJournalItems(DynamoDbJournalSettings.builder("j")
            .rowPrefix("crm:")
            .ttl(Duration.ofDays(1), "expires_at")
            .build());

    @Test
    void rowKeysEscapeTheSeparatorAndParseBackToTheirParts() {
        for (List<String> parts : List.of(
                List.of("public.t", "42"),
                List.of("public.t", "a#b", "c\\d"),
                List.of("public.t", ""),
                List.of("public.t", "#"),
                Arrays.asList("public.t", null, "x"),
                List.of("odd#schema.t", "1", "2"),
                List.of("public.t"))) {
            String row = parts.size() == 1
                    ? DynamoDbJournalLayout.truncateRow(parts.get(0))
                    : DynamoDbJournalLayout.row(parts.get(0), parts.subList(1, parts.size()));
            assertThat(DynamoDbJournalLayout.parseRow(row)).as(row).isEqualTo(parts);
        }
        assertThat(DynamoDbJournalLayout.row("public.orders", List.of("42"))).isEqualTo("public.orders#42");
        assertThat(DynamoDbJournalLayout.truncateRow("public.orders")).isEqualTo("public.orders#");
        assertThat(DynamoDbJournalLayout.row("public.t", List.of("")))
                .isNotEqualTo(DynamoDbJournalLayout.truncateRow("public.t"));
        assertThatThrownBy(() -> DynamoDbJournalLayout.parseRow("public.orders"))
                .hasMessageContaining("schema.table#key");
    }

    @Test
    void anUpdateBecomesOneDeterministicItemWithBothImagesAndNoUnknownColumn() throws Exception {
        ChangeEvent update = ChangeEvent.builder()
                .schema(PAIRS)
                .op(Op.UPDATE)
                .before(Row.of("x#1", 7L, "old", new BigDecimal("1.50")))
                .after(Row.of("x#1", 7L, null, new BigDecimal("2.00")))
                .unknownColumns(2)
                .commitLsn(0x1_0000_0010L)
                .changeLsn(0x1_0000_0008L)
                .txId(4242)
                .commitTimeMicros(1_795_000_000_123_456L)
                .build();
        Map<String, AttributeValue> item = ITEMS.item(update);
        assertThat(item.get("row").s()).isEqualTo("crm:public.pairs#x\\#1#7");
        assertThat(item.get("position").s()).isEqualTo("0000000100000010-0000000100000008");
        assertThat(item.get("op").s()).isEqualTo("U");
        assertThat(item.get("table").s()).isEqualTo("crm:public.pairs");
        assertThat(item.get("tx_id").n()).isEqualTo("4242");
        String commit = Instant.ofEpochSecond(1_795_000_000L, 123_456_000L).toString(); // six-digit fraction
        assertThat(item.get("commit_time").s()).isEqualTo(commit);
        assertThat(item.get("commit_position").s()).isEqualTo(commit + "#0000000100000010-0000000100000008");
        assertThat(item.get("commit_micros").n()).isEqualTo("1795000000123456");
        assertThat(item.get("event_id").s()).isEqualTo(update.eventId());
        assertThat(item.get("snapshot").bool()).isFalse();
        assertThat(item.get("old").m()).containsOnlyKeys("a", "b", "note", "amount");
        assertThat(item.get("new").m()).as("the unknown column is left out").containsOnlyKeys("a", "b", "amount");
        assertThat(item.get("unknown_columns").l())
                .extracting(AttributeValue::s)
                .containsExactly("note");
        assertThat(item.get("key").m()).containsOnlyKeys("a", "b");
        assertThat(item.get("expires_at").n()).isEqualTo(Long.toString(1_795_000_000L + 86_400L));
        assertThat(ITEMS.item(update)).isEqualTo(item);
    }

    @Test
    void snapshotRowsCarryNoTransactionAndTruncateHasItsTablePartition() throws Exception {
        ChangeEvent row = ChangeEvent.builder()
                .schema(PAIRS)
                .op(Op.INSERT)
                .after(Row.of("k", 1L, "n", null))
                .commitLsn(5)
                .changeLsn(0)
                .txId(99)
                .snapshot(true)
                .build();
        assertThat(ITEMS.item(row)).doesNotContainKey("tx_id").doesNotContainKey("old");
        ChangeEvent truncate = ChangeEvent.builder()
                .schema(PAIRS)
                .op(Op.TRUNCATE)
                .commitLsn(9)
                .changeLsn(9)
                .txId(3)
                .build();
        Map<String, AttributeValue> item = ITEMS.item(truncate);
        assertThat(item.get("row").s()).isEqualTo("crm:public.pairs#");
        assertThat(item).doesNotContainKeys("key", "old", "new");
    }

    @Test
    void anItemOver400KbOrAKeyOver2048BytesIsRefusedWithTheReason() {
        ChangeEvent big = ChangeEvent.builder()
                .schema(PAIRS)
                .op(Op.INSERT)
                .after(Row.of("k", 1L, "x".repeat(410 * 1024), null))
                .commitLsn(5)
                .changeLsn(5)
                .build();
        assertThatThrownBy(() -> ITEMS.item(big))
                .isInstanceOf(DynamoDbUnmappableException.class)
                .hasMessageContaining("400 KB");
        ChangeEvent longKey = ChangeEvent.builder()
                .schema(PAIRS)
                .op(Op.INSERT)
                .after(Row.of("k".repeat(2100), 1L, null, null))
                .commitLsn(5)
                .changeLsn(5)
                .build();
        assertThatThrownBy(() -> ITEMS.item(longKey))
                .isInstanceOf(DynamoDbUnmappableException.class)
                .hasMessageContaining("2048-byte");
    }
}
