package io.tributary.dynamodb;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One version-fenced write for one change: PutItem of the item (INSERT, UPDATE, or a DELETE's
 * tombstone) or DeleteItem (hard DELETE), each only if the stored item has no version or an older
 * one. Equal versions are refused too, so a re-delivered change leaves the item untouched.
 *
 * <p>A change whose new image has unknown columns ({@link ChangeEvent#unknownColumns()}: an unchanged
 * TOASTed value never seen) is an UpdateItem instead, with the same condition: it SETs the known
 * attributes and the version, REMOVEs a tombstone's deleted flag and TTL, and leaves the unknown
 * attributes as the item holds them (absent if it holds none). Replaying it gives the same item.
 */
final class DynamoDbConditionalWrite {
    /** True where the stored item is absent, was not written by this sink, or holds an older change. */
    static final String CONDITION = "attribute_not_exists(#v) OR #v < :v";

    private final ChangeEvent event;
    private final String table;
    private final PutItemRequest put;
    private final DeleteItemRequest delete;
    private final UpdateItemRequest update;

    private DynamoDbConditionalWrite(
            ChangeEvent event, String table, PutItemRequest put, DeleteItemRequest delete, UpdateItemRequest update) {
        this.event = event;
        this.table = table;
        this.put = put;
        this.delete = delete;
        this.update = update;
    }

    static DynamoDbConditionalWrite of(ChangeEvent event, DynamoDbItemMapper mapper)
            throws DynamoDbUnmappableException {
        DynamoDbTableMapping m = mapper.mapping();
        Map<String, String> names = Map.of("#v", m.versionAttribute());
        Map<String, AttributeValue> values = Map.of(":v", DynamoDbItemMapper.versionValue(event));
        if (event.op() == Op.DELETE && m.deleteMode() == DynamoDbTableMapping.DeleteMode.HARD) {
            return new DynamoDbConditionalWrite(
                    event,
                    m.targetTable(),
                    null,
                    DeleteItemRequest.builder()
                            .tableName(m.targetTable())
                            .key(mapper.key(event))
                            .conditionExpression(CONDITION)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .build(),
                    null);
        }
        if (event.op() != Op.DELETE && mapper.hasUnknownAttributes(event)) {
            return new DynamoDbConditionalWrite(event, m.targetTable(), null, null, update(event, mapper));
        }
        Map<String, AttributeValue> item = event.op() == Op.DELETE ? mapper.tombstone(event) : mapper.item(event);
        return new DynamoDbConditionalWrite(
                event,
                m.targetTable(),
                PutItemRequest.builder()
                        .tableName(m.targetTable())
                        .item(item)
                        .conditionExpression(CONDITION)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build(),
                null,
                null);
    }

    /** SET every known attribute but the key, and the version; REMOVE the tombstone's flag and TTL. */
    static UpdateItemRequest update(ChangeEvent event, DynamoDbItemMapper mapper) throws DynamoDbUnmappableException {
        DynamoDbTableMapping m = mapper.mapping();
        Map<String, AttributeValue> key = mapper.key(event);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, AttributeValue> a : mapper.item(event).entrySet()) {
            if (key.containsKey(a.getKey()) || a.getKey().equals(m.versionAttribute())) {
                continue;
            }
            names.put("#a" + n, a.getKey());
            values.put(":a" + n, a.getValue());
            sets.add("#a" + n + " = :a" + n);
            n++;
        }
        names.put("#v", m.versionAttribute());
        values.put(":v", DynamoDbItemMapper.versionValue(event));
        sets.add("#v = :v");
        String expression = "SET " + String.join(", ", sets);
        if (m.deleteMode() == DynamoDbTableMapping.DeleteMode.TOMBSTONE) {
            names.put("#deleted", m.deletedAttribute());
            names.put("#ttl", m.ttlAttribute());
            expression += " REMOVE #deleted, #ttl";
        }
        return UpdateItemRequest.builder()
                .tableName(m.targetTable())
                .key(key)
                .updateExpression(expression)
                .conditionExpression(CONDITION)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    CompletableFuture<?> send(DynamoDbAsyncClient client) {
        return put != null
                ? client.putItem(put)
                : delete != null ? client.deleteItem(delete) : client.updateItem(update);
    }

    /** The UpdateItem this write sends, or null if it is a PutItem or DeleteItem. */
    UpdateItemRequest updateRequest() {
        return update;
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
