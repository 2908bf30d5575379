package io.tributary.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The journal table's layout: attribute names, the two indexes, and the partition key's text form
 * (docs/formats/README.md, "DynamoDB event journal"). One place, so the writer, the start-up check,
 * the reading command and the tests agree.
 *
 * <p>Partition key {@code row}: {@code <prefix><schema.table>#<key 1>#<key 2>…}, each part escaped
 * ({@code \} → {@code \\}, {@code #} → {@code \#}; an empty text is {@code \e}, SQL NULL {@code \0}) so
 * that it splits back into exactly its parts; a TRUNCATE's partition is the table part and {@code #}
 * alone. Sort key {@code position}: {@code %016x-%016x} of commit and change LSN, whose text order is
 * commit order.
 */
public final class DynamoDbJournalLayout {
    public static final String ROW = "row";
    public static final String POSITION = "position";
    public static final String OP = "op";
    public static final String TABLE = "table";
    /** The by-table index's sort key: commit time (ISO-8601) + '#' + position, unique and in commit order. */
    public static final String COMMIT_POSITION = "commit_position";

    public static final String TX_ID = "tx_id";
    public static final String COMMIT_TIME = "commit_time";
    public static final String COMMIT_MICROS = "commit_micros";
    public static final String EVENT_ID = "event_id";
    public static final String SNAPSHOT = "snapshot";
    public static final String KEY = "key";
    public static final String OLD = "old";
    public static final String NEW = "new";
    public static final String UNKNOWN_COLUMNS = "unknown_columns";

    /** Every change of one table in commit-time order: partition {@code table}, sort {@code commit_position}. */
    public static final String BY_TABLE_TIME = "by_table_time";
    /** Every change of one transaction: partition {@code tx_id}, sort {@code position}. */
    public static final String BY_TX = "by_tx";

    private DynamoDbJournalLayout() {}

    /** The partition key of a row: the table part, then each key value's text, escaped and joined by '#'. */
    public static String row(String tablePart, List<String> keyTexts) {
        StringBuilder s = new StringBuilder();
        escape(s, tablePart);
        s.append('#');
        for (int i = 0; i < keyTexts.size(); i++) {
            if (i > 0) {
                s.append('#');
            }
            escape(s, keyTexts.get(i));
        }
        return s.toString();
    }

    /** The partition of a table's TRUNCATEs: the table part and '#', no key. */
    public static String truncateRow(String tablePart) {
        return row(tablePart, Collections.emptyList());
    }

    /**
     * Splits a partition key back into its table part (first) and key texts (null for SQL NULL); a
     * TRUNCATE partition gives the table part alone.
     */
    public static List<String> parseRow(String row) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean escaped = false;
        boolean isNull = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (escaped) {
                escaped = false;
                if (c == '0') {
                    isNull = true;
                } else if (c != 'e') {
                    part.append(c);
                }
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '#') {
                parts.add(isNull ? null : part.toString());
                part.setLength(0);
                isNull = false;
            } else {
                part.append(c);
            }
        }
        if (escaped || parts.isEmpty()) {
            throw new IllegalArgumentException("'" + row + "' is not a journal row key: write schema.table#key"
                    + " (composite keys joined by '#', a '#' or '\\' inside a value escaped with '\\')");
        }
        if (part.length() > 0 || isNull || parts.size() > 1 || row.charAt(row.length() - 1) != '#') {
            parts.add(isNull ? null : part.toString());
        }
        return parts;
    }

    private static void escape(StringBuilder s, String text) {
        if (text == null) {
            s.append("\\0");
            return;
        }
        if (text.isEmpty()) {
            s.append("\\e");
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '#') {
                s.append('\\');
            }
            s.append(c);
        }
    }

    /** The table as the writer expects it: the keys above, both indexes projecting every attribute, on demand. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(ROW, ScalarAttributeType.S),
                        attribute(POSITION, ScalarAttributeType.S),
                        attribute(TABLE, ScalarAttributeType.S),
                        attribute(COMMIT_POSITION, ScalarAttributeType.S),
                        attribute(TX_ID, ScalarAttributeType.N))
                .keySchema(key(ROW, KeyType.HASH), key(POSITION, KeyType.RANGE))
                .globalSecondaryIndexes(index(BY_TABLE_TIME, TABLE, COMMIT_POSITION), index(BY_TX, TX_ID, POSITION))
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String partition, String sort) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(key(partition, KeyType.HASH), key(sort, KeyType.RANGE))
                .projection(
                        Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(type)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
