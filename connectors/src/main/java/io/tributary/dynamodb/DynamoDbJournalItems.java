package io.tributary.dynamodb;

import static io.tributary.dynamodb.DynamoDbJournalLayout.COMMIT_MICROS;
import static io.tributary.dynamodb.DynamoDbJournalLayout.COMMIT_POSITION;
import static io.tributary.dynamodb.DynamoDbJournalLayout.COMMIT_TIME;
import static io.tributary.dynamodb.DynamoDbJournalLayout.EVENT_ID;
import static io.tributary.dynamodb.DynamoDbJournalLayout.KEY;
import static io.tributary.dynamodb.DynamoDbJournalLayout.NEW;
import static io.tributary.dynamodb.DynamoDbJournalLayout.OLD;
import static io.tributary.dynamodb.DynamoDbJournalLayout.OP;
import static io.tributary.dynamodb.DynamoDbJournalLayout.POSITION;
import static io.tributary.dynamodb.DynamoDbJournalLayout.ROW;
import static io.tributary.dynamodb.DynamoDbJournalLayout.SNAPSHOT;
import static io.tributary.dynamodb.DynamoDbJournalLayout.TABLE;
import static io.tributary.dynamodb.DynamoDbJournalLayout.TX_ID;
import static io.tributary.dynamodb.DynamoDbJournalLayout.UNKNOWN_COLUMNS;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change as its journal item. The item is a function of the event alone (no clock, no counter), so
 * a re-delivered change writes the same item under the same key: the journal holds no duplicates.
 * Images use the read model's value mapping ({@link DynamoDbAttributeValues}) with the column names as
 * they are in PostgreSQL. Snapshot rows and baselines carry no {@code tx_id}, which keeps them out of
 * the by-transaction index (they belong to no transaction of the application).
 */
public final class DynamoDbJournalItems implements Serializable {
    private static final long serialVersionUID = 1L;
    /** DynamoDB's limit on a partition key value, in UTF-8 bytes. */
    static final int MAX_PARTITION_KEY_BYTES = 2048;

    private final DynamoDbJournalSettings settings;

    public DynamoDbJournalItems(DynamoDbJournalSettings settings) {
        this.settings = settings;
    }

    /** The row (partition) key of the change; {@code schema.table#} for a TRUNCATE. */
    public String row(ChangeEvent e) {
        String tablePart = settings.rowPrefix() + e.table();
        if (e.isTruncate()) {
            return DynamoDbJournalLayout.truncateRow(tablePart);
        }
        List<String> texts = new ArrayList<>();
        for (Object value : e.key()) {
            texts.add(value == null ? null : ChangeEvent.canonicalText(value));
        }
        return DynamoDbJournalLayout.row(tablePart, texts);
    }

    /** The sort key: the position as {@code %016x-%016x}, the read model's version text. */
    public static String position(ChangeEvent e) {
        return DynamoDbItemMapper.version(e.commitLsn(), e.changeLsn());
    }

    /** The whole item; fails with the reason when DynamoDB could not hold it. */
    public Map<String, AttributeValue> item(ChangeEvent e) throws DynamoDbUnmappableException {
        String row = row(e);
        if (row.getBytes(StandardCharsets.UTF_8).length > MAX_PARTITION_KEY_BYTES) {
            throw new DynamoDbUnmappableException("journal row key of " + row.getBytes(StandardCharsets.UTF_8).length
                    + " bytes exceeds DynamoDB's " + MAX_PARTITION_KEY_BYTES + "-byte partition key limit: the key"
                    + " values of " + e.table() + " are too long for the journal");
        }
        String position = position(e);
        String commitTime = DynamoDbAttributeValues.TIMESTAMPTZ.format(micros(e.commitTimeMicros()));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(ROW, s(row));
        item.put(POSITION, s(position));
        item.put(OP, s(e.op().code()));
        item.put(TABLE, s(settings.rowPrefix() + e.table()));
        item.put(COMMIT_POSITION, s(commitTime + "#" + position));
        if (!e.snapshot()) {
            item.put(TX_ID, n(Long.toUnsignedString(e.txId())));
        }
        item.put(COMMIT_TIME, s(commitTime));
        item.put(COMMIT_MICROS, n(Long.toString(e.commitTimeMicros())));
        item.put(EVENT_ID, s(e.eventId()));
        item.put(SNAPSHOT, AttributeValue.builder().bool(e.snapshot()).build());
        if (!e.isTruncate()) {
            item.put(KEY, key(e));
        }
        if (e.before() != null) {
            item.put(OLD, image(e.schema(), e.before(), null));
        }
        if (e.after() != null) {
            item.put(NEW, image(e.schema(), e.after(), e));
            if (e.unknownColumnCount() > 0) {
                List<AttributeValue> names = new ArrayList<>();
                e.unknownColumns().forEach(name -> names.add(s(name)));
                item.put(UNKNOWN_COLUMNS, AttributeValue.builder().l(names).build());
            }
        }
        settings.ttl()
                .ifPresent(ttl -> item.put(
                        settings.ttlAttribute(),
                        n(Long.toString(Math.floorDiv(e.commitTimeMicros(), 1_000_000L) + ttl.getSeconds()))));
        long size = DynamoDbItemSize.of(item);
        if (size > DynamoDbItemSize.LIMIT) {
            throw new DynamoDbUnmappableException("journal item of " + size + " bytes exceeds DynamoDB's 400 KB item"
                    + " limit (" + DynamoDbItemSize.LIMIT + " bytes, old and new image together): the change to "
                    + row + " stays in the event log and the dead letters only");
        }
        return item;
    }

    private static AttributeValue key(ChangeEvent e) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        TableSchema schema = e.schema();
        Row image = e.keyImage();
        for (int i : schema.keyIndexes()) {
            key.put(
                    schema.column(i).name(),
                    DynamoDbAttributeValues.of(schema.column(i).type(), image.get(i)));
        }
        return AttributeValue.builder().m(key).build();
    }

    /** An image as M of column name → value; the new image leaves its unknown (unsent TOAST) columns out. */
    private static AttributeValue image(TableSchema schema, Row row, ChangeEvent unknownOf) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            if (value == Row.UNCHANGED_TOAST || (unknownOf != null && unknownOf.isUnknown(i))) {
                continue;
            }
            Column c = schema.column(i);
            AttributeValue v = DynamoDbAttributeValues.of(c.type(), value);
            if (c.type().kind() == ValueKind.JSON && value instanceof String && depth(v) > MAX_VALUE_DEPTH) {
                v = s((String) value); // as the read model does for a document too deep to nest, one level sooner
            }
            m.put(c.name(), v);
        }
        return AttributeValue.builder().m(m).build();
    }

    /**
     * Levels of M and L a column value may take in an image: DynamoDB allows 32, the item and the image map
     * take two (the read model's items hold values one level higher, so it allows 31).
     */
    static final int MAX_VALUE_DEPTH = 30;

    static int depth(AttributeValue v) {
        int deepest = 0;
        if (v.hasM()) {
            for (AttributeValue child : v.m().values()) {
                deepest = Math.max(deepest, depth(child));
            }
            return deepest + 1;
        }
        if (v.hasL()) {
            for (AttributeValue child : v.l()) {
                deepest = Math.max(deepest, depth(child));
            }
            return deepest + 1;
        }
        return 0;
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static AttributeValue s(String text) {
        return AttributeValue.builder().s(text).build();
    }

    private static AttributeValue n(String text) {
        return AttributeValue.builder().n(text).build();
    }
}
