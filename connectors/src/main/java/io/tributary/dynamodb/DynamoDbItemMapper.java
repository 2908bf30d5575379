package io.tributary.dynamodb;

import io.tributary.dynamodb.DynamoDbTableMapping.KeyAttribute;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a change of one mapped table into the DynamoDB item (or key, or tombstone) it stands for.
 *
 * <p>Every item carries the version attribute: the change position {@code (commitLsn, changeLsn)}
 * as an S of 33 characters, {@code %016x-%016x} (the same hex as the start of the event id). Fixed
 * width lower-case hex compares as text exactly like the two unsigned 64-bit LSNs compare as
 * numbers, over their whole range. An N of {@code commitLsn × 2^64 + changeLsn} would need up to 39
 * digits, one more than N holds, so it is not exact for every LSN.
 */
public final class DynamoDbItemMapper implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<ValueKind> NUMERIC = EnumSet.of(
            ValueKind.INT16, ValueKind.INT32, ValueKind.INT64, ValueKind.FLOAT32, ValueKind.FLOAT64, ValueKind.DECIMAL);

    private final DynamoDbTableMapping mapping;
    private final Set<Long> validated = new HashSet<>();

    public DynamoDbItemMapper(DynamoDbTableMapping mapping) {
        this.mapping = mapping;
    }

    public DynamoDbTableMapping mapping() {
        return mapping;
    }

    /** The version text of a position: sorts as text exactly as positions sort, unsigned. */
    public static String version(long commitLsn, long changeLsn) {
        return String.format("%016x-%016x", commitLsn, changeLsn);
    }

    public static AttributeValue versionValue(ChangeEvent e) {
        return DynamoDbAttributeValues.s(version(e.commitLsn(), e.changeLsn()));
    }

    /**
     * The item of an INSERT or UPDATE: mapped columns, key attributes, version. Columns the event lists as
     * unknown ({@link ChangeEvent#unknownColumns()}) are left out: the item holds what is known.
     */
    public Map<String, AttributeValue> item(ChangeEvent e) throws DynamoDbUnmappableException {
        if (e.op() == Op.DELETE) {
            throw new IllegalArgumentException("a DELETE has no item: use key() or tombstone()");
        }
        validate(e.schema());
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        Row row = e.after();
        for (int i = 0; i < row.size(); i++) {
            Column c = e.schema().column(i);
            if (!mapping.excludedColumns().contains(c.name()) && !e.isUnknown(i)) {
                item.put(mapping.attributeName(c.name()), DynamoDbAttributeValues.of(c.type(), row.get(i)));
            }
        }
        item.putAll(key(e));
        item.put(mapping.versionAttribute(), versionValue(e));
        long size = DynamoDbItemSize.of(item);
        if (size > DynamoDbItemSize.LIMIT) {
            throw new DynamoDbUnmappableException("item of " + size + " bytes exceeds DynamoDB's 400 KB item limit ("
                    + DynamoDbItemSize.LIMIT + " bytes): exclude large columns of " + mapping.sourceTable()
                    + " from the DynamoDB mapping or keep them elsewhere");
        }
        return item;
    }

    /** True if a column the event lists as unknown is mapped to an attribute, which a write must then keep. */
    public boolean hasUnknownAttributes(ChangeEvent e) {
        for (String column : e.unknownColumns()) {
            if (!mapping.excludedColumns().contains(column)) {
                return true;
            }
        }
        return false;
    }

    /** The key attributes of the row the change is about. */
    public Map<String, AttributeValue> key(ChangeEvent e) throws DynamoDbUnmappableException {
        validate(e.schema());
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(mapping.partitionKey().name(), keyValue(mapping.partitionKey(), e));
        if (mapping.sortKey().isPresent()) {
            key.put(mapping.sortKey().get().name(), keyValue(mapping.sortKey().get(), e));
        }
        return key;
    }

    /** The marker a DELETE leaves in tombstone mode; its TTL counts from the commit time, so replays write the same marker. */
    public Map<String, AttributeValue> tombstone(ChangeEvent e) throws DynamoDbUnmappableException {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(e));
        item.put(mapping.versionAttribute(), versionValue(e));
        item.put(mapping.deletedAttribute(), AttributeValue.builder().bool(true).build());
        long expires = e.commitTimeMicros() / 1_000_000L + mapping.ttlDuration().getSeconds();
        item.put(mapping.ttlAttribute(), DynamoDbAttributeValues.n(Long.toString(expires)));
        return item;
    }

    private AttributeValue keyValue(KeyAttribute attribute, ChangeEvent e) throws DynamoDbUnmappableException {
        TableSchema schema = e.schema();
        Row image = e.keyImage();
        if (attribute.columns().size() == 1) {
            String column = attribute.columns().get(0);
            int i = schema.indexOf(column);
            Object value = image.get(i);
            if (value == null) {
                throw new DynamoDbUnmappableException("key column " + column + " of " + schema.table()
                        + " is null, so the item has no " + attribute.name());
            }
            ColumnType type = schema.column(i).type();
            if (attribute.type() == ScalarAttributeType.B) {
                byte[] bytes = (byte[]) value;
                if (bytes.length == 0) {
                    throw new DynamoDbUnmappableException(
                            "key column " + column + " is empty; DynamoDB keys cannot be");
                }
                return AttributeValue.builder().b(SdkBytes.fromByteArray(bytes)).build();
            }
            if (attribute.type() == ScalarAttributeType.N) {
                AttributeValue n = DynamoDbAttributeValues.of(type, value);
                if (n.n() == null) {
                    throw new DynamoDbUnmappableException("key column " + column + " value " + n.s()
                            + " does not fit DynamoDB's N (38 digits, no NaN or Infinity): map " + attribute.name()
                            + " as S");
                }
                return n;
            }
            return nonEmpty(attribute, keyText(type, value));
        }
        StringBuilder s = new StringBuilder();
        for (String column : attribute.columns()) {
            int i = schema.indexOf(column);
            if (s.length() > 0) {
                s.append(mapping.keySeparator());
            }
            String text = image.get(i) == null ? "" : keyText(schema.column(i).type(), image.get(i));
            s.append(text.replace("\\", "\\\\").replace(mapping.keySeparator(), "\\" + mapping.keySeparator()));
        }
        return nonEmpty(attribute, s.toString());
    }

    private static AttributeValue nonEmpty(KeyAttribute attribute, String text) throws DynamoDbUnmappableException {
        if (text.isEmpty()) {
            throw new DynamoDbUnmappableException("key attribute " + attribute.name()
                    + " would be an empty string, which DynamoDB does not accept as a key");
        }
        return DynamoDbAttributeValues.s(text);
    }

    /** A key value's text: the same text its attribute would hold (ISO times, plain decimals, base64 bytes). */
    private static String keyText(ColumnType type, Object value) {
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        AttributeValue v = DynamoDbAttributeValues.of(type, value);
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            return v.n();
        }
        if (v.b() != null) {
            return Base64.getEncoder().encodeToString(v.b().asByteArrayUnsafe());
        }
        return ChangeEvent.canonicalText(value);
    }

    /** Checks the mapping against a schema once per schema version; a mismatch is a configuration error. */
    private void validate(TableSchema schema) {
        if (validated.contains(schema.fingerprint())) {
            return;
        }
        String where = "DynamoDB mapping " + mapping.sourceTable() + " -> " + mapping.targetTable();
        for (KeyAttribute k : mapping.sortKey().isPresent()
                ? List.of(mapping.partitionKey(), mapping.sortKey().get())
                : List.of(mapping.partitionKey())) {
            for (String column : k.columns()) {
                int i = schema.indexOf(column);
                if (i < 0) {
                    throw new IllegalStateException(where + ": key column " + column + " is not a column of " + schema
                            + ": fix the key columns of " + k.name());
                }
                ColumnType type = schema.column(i).type();
                ValueKind kind = type.kind();
                boolean numeric = NUMERIC.contains(kind)
                        || (kind == ValueKind.STRING && DynamoDbAttributeValues.isNumericSource(type));
                if (k.type() == ScalarAttributeType.N && !numeric) {
                    throw new IllegalStateException(where + ": key attribute " + k.name() + " is N but column " + column
                            + " is " + kind + ": declare it as S");
                }
                if (k.type() == ScalarAttributeType.B && kind != ValueKind.BYTES) {
                    throw new IllegalStateException(where + ": key attribute " + k.name() + " is B but column " + column
                            + " is " + kind + ": declare it as S");
                }
            }
        }
        for (Column c : schema.columns()) {
            String name = mapping.attributeName(c.name());
            if (!mapping.excludedColumns().contains(c.name())
                    && (name.equals(mapping.versionAttribute())
                            || (mapping.deleteMode() == DynamoDbTableMapping.DeleteMode.TOMBSTONE
                                    && (name.equals(mapping.deletedAttribute())
                                            || name.equals(mapping.ttlAttribute()))))) {
                throw new IllegalStateException(where + ": column " + c.name() + " would be stored as " + name
                        + ", which the sink reserves: rename the column's attribute or the reserved one");
            }
        }
        validated.add(schema.fingerprint());
    }
}
