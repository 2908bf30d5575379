package io.tributary.dynamodb;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One version-fenced write for one change: PutItem of the item (INSERT, UPDATE, or a DELETE's
 * tombstone) or DeleteItem (hard DELETE), each only if the stored item has no version or an older
 * one. Equal versions are refused too, so a re-delivered change leaves the item untouched.
 */
final class DynamoDbConditionalWrite {
    /** True where the stored item is absent, was not written by this sink, or holds an older change. */
    static final String CONDITION = "attribute_not_exists(#v) OR #v < :v";

    private final ChangeEvent event;
    private final String table;
    private final PutItemRequest put;
    private final DeleteItemRequest delete;

    private DynamoDbConditionalWrite(ChangeEvent event, String table, PutItemRequest put, DeleteItemRequest delete) {
        this.event = event;
        this.table = table;
        this.put = put;
        this.delete = delete;
    }

    static DynamoDbConditionalWrite of(ChangeEvent event, DynamoDbItemMapper mapper) throws DynamoDbUnmappableException {
        DynamoDbTableMapping m = mapper.mapping();
        Map<String, String> names = Map.of("#v", m.versionAttribute());
        Map<String, AttributeValue> values = Map.of(":v", DynamoDbItemMapper.versionValue(event));
        if (event.op() == Op.DELETE && m.deleteMode() == DynamoDbTableMapping.DeleteMode.HARD) {
            return new DynamoDbConditionalWrite(event, m.targetTable(), null, DeleteItemRequest.builder()
                    .tableName(m.targetTable()).key(mapper.key(event)).conditionExpression(CONDITION)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
        }
        Map<String, AttributeValue> item = event.op() == Op.DELETE ? mapper.tombstone(event) : mapper.item(event);
        return new DynamoDbConditionalWrite(event, m.targetTable(), PutItemRequest.builder()
                .tableName(m.targetTable()).item(item).conditionExpression(CONDITION)
                .expressionAttributeNames(names).expressionAttributeValues(values).build(), null);
    }

    CompletableFuture<?> send(DynamoDbAsyncClient client) {
        return put != null ? client.putItem(put) : client.deleteItem(delete);
    }

    ChangeEvent event() {
        return event;
    }

    String table() {
        return table;
    }

    boolean isHardDelete() {
        return delete != null;
    }
}
