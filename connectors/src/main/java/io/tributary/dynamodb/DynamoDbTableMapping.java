package io.tributary.dynamodb;

import io.tributary.event.TableId;

import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How one captured table maps onto one DynamoDB table: the target table, the key attributes and
 * the source columns they are made of, columns left out, attribute renames, and what a DELETE does.
 *
 * <p>A key attribute made of one column carries that column's value (as N, S or B as declared);
 * one made of several columns is an S of their canonical texts joined by {@link #keySeparator()}
 * (a separator or backslash inside a value is escaped with a backslash), for example partition
 * {@code order_id} and sort {@code line_no}, or partition {@code tenant#order} and sort {@code line}
 * for a three-column key.
 *
 * <p>A TRUNCATE of the source table removes the items older than it ({@link TruncateMode#DELETE},
 * the default) or leaves them and writes a dead letter ({@link TruncateMode#DEAD_LETTER}).
 */
public final class DynamoDbTableMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a DELETE leaves behind. */
    public enum DeleteMode {
        /** DeleteItem, fenced by the stored version: the item is gone. */
        HARD,
        /** A marker item (key, version, deleted flag, TTL) that keeps fencing older events until TTL removes it. */
        TOMBSTONE
    }

    /** What a TRUNCATE of the source table does to the mapped DynamoDB table. */
    public enum TruncateMode {
        /**
         * Every item whose version is older than the TRUNCATE is removed (scan, then a DeleteItem fenced by
         * {@code version < truncate}; a tombstone instead in tombstone delete mode), so newer writes survive.
         */
        DELETE,
        /** The items stay; one dead letter per TRUNCATE says so, for an operator to act on. */
        DEAD_LETTER
    }

    /** One key attribute: its name, its DynamoDB type, and the source columns it is built from. */
    public static final class KeyAttribute implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final ScalarAttributeType type;
        private final List<String> columns;

        KeyAttribute(String name, ScalarAttributeType type, List<String> columns) {
            this.name = Objects.requireNonNull(name, "key attribute name");
            this.type = Objects.requireNonNull(type, "key attribute type");
            this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
            if (type == ScalarAttributeType.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException("key attribute " + name + " needs type S, N or B");
            }
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("key attribute " + name + " needs at least one source column");
            }
            if (columns.size() > 1 && type != ScalarAttributeType.S) {
                throw new IllegalArgumentException("key attribute " + name + " joins " + columns
                        + " into one value, so it must be of type S, not " + type);
            }
        }

        public String name() {
            return name;
        }

        public ScalarAttributeType type() {
            return type;
        }

        public List<String> columns() {
            return columns;
        }

        @Override
        public String toString() {
            return name + " " + type + " from " + columns;
        }
    }

    private final TableId sourceTable;
    private final String targetTable;
    private final KeyAttribute partitionKey;
    private final KeyAttribute sortKey;
    private final Set<String> excludedColumns;
    private final Map<String, String> renames;
    private final String versionAttribute;
    private final DeleteMode deleteMode;
    private final String deletedAttribute;
    private final String ttlAttribute;
    private final Duration ttlDuration;
    private final String keySeparator;
    private final TruncateMode truncateMode;

    private DynamoDbTableMapping(Builder b) {
        this.sourceTable = Objects.requireNonNull(b.sourceTable, "source table");
        this.targetTable = b.targetTable != null ? b.targetTable : sourceTable.toString();
        if (b.partitionKey == null) {
            throw new IllegalArgumentException("DynamoDB mapping for " + sourceTable
                    + " needs a partition key: set partitionKey(attribute, type, columns…)");
        }
        this.partitionKey = b.partitionKey;
        this.sortKey = b.sortKey;
        this.excludedColumns = Collections.unmodifiableSet(new LinkedHashSet<>(b.excludedColumns));
        this.renames = Collections.unmodifiableMap(new LinkedHashMap<>(b.renames));
        this.versionAttribute = b.versionAttribute;
        this.deleteMode = b.deleteMode;
        this.deletedAttribute = b.deletedAttribute;
        this.ttlAttribute = b.ttlAttribute;
        this.ttlDuration = b.ttlDuration;
        this.keySeparator = b.keySeparator;
        this.truncateMode = b.truncateMode;
        if (!targetTable.matches("[a-zA-Z0-9_.-]{3,255}")) {
            throw new IllegalArgumentException("DynamoDB table name '" + targetTable + "' for " + sourceTable
                    + " is invalid: use 3-255 characters of a-z, A-Z, 0-9, '_', '-', '.'");
        }
        if (sortKey != null && sortKey.name().equals(partitionKey.name())) {
            throw new IllegalArgumentException("DynamoDB mapping for " + sourceTable
                    + ": partition and sort key attributes must differ, both are " + sortKey.name());
        }
        if (ttlDuration.isNegative() || ttlDuration.isZero()) {
            throw new IllegalArgumentException(
                    "tombstone TTL for " + sourceTable + " must be positive, got " + ttlDuration);
        }
        if (keySeparator.isEmpty() || keySeparator.contains("\\")) {
            throw new IllegalArgumentException("key separator for " + sourceTable + " must be non-empty and not '\\'");
        }
    }

    /**
     * Parses {@code schema.table=target;partition=cols:TYPE;sort=cols:TYPE;exclude=a,b;rename=a:b;tombstone;
     * truncate=delete|dead-letter}.
     */
    public static DynamoDbTableMapping parse(String spec) {
        if (spec == null || !spec.contains("=")) {
            throw new IllegalArgumentException("mapping '" + spec + "' must start with schema.table=target");
        }
        String[] parts = spec.split(";");
        int eq = parts[0].indexOf('=');
        DynamoDbTableMapping.Builder b = DynamoDbTableMapping.builder(TableId.parse(parts[0].substring(0, eq)))
                .targetTable(parts[0].substring(eq + 1));
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int at = part.indexOf('=');
            String name = at < 0 ? part : part.substring(0, at);
            String value = at < 0 ? "" : part.substring(at + 1);
            switch (name) {
                case "partition":
                case "sort": {
                    int colon = value.lastIndexOf(':');
                    String[] columns = (colon < 0 ? value : value.substring(0, colon)).split(",");
                    ScalarAttributeType type = colon < 0
                            ? ScalarAttributeType.S
                            : ScalarAttributeType.fromValue(
                                    value.substring(colon + 1).toUpperCase(Locale.ROOT));
                    String attribute = columns.length == 1 ? columns[0] : name.equals("partition") ? "pk" : "sk";
                    if (name.equals("partition")) {
                        b.partitionKey(attribute, type, columns);
                    } else {
                        b.sortKey(attribute, type, columns);
                    }
                    break;
                }
                case "exclude":
                    b.excludeColumns(value.split(","));
                    break;
                case "rename":
                    for (String pair : value.split(",")) {
                        String[] ab = pair.split(":");
                        b.rename(ab[0], ab[1]);
                    }
                    break;
                case "tombstone":
                    b.tombstone("_deleted", "_expires_at", Duration.ofDays(7));
                    break;
                case "truncate":
                    if (value.equals("delete")) {
                        b.truncateMode(TruncateMode.DELETE);
                    } else if (value.equals("dead-letter")) {
                        b.truncateMode(TruncateMode.DEAD_LETTER);
                    } else {
                        throw new IllegalArgumentException("mapping part '" + part + "' in '" + spec
                                + "' must be truncate=delete or truncate=dead-letter");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown mapping part '" + part + "' in '" + spec + "'");
            }
        }
        return b.build();
    }

    public static Builder builder(TableId sourceTable) {
        return new Builder(sourceTable);
    }

    public TableId sourceTable() {
        return sourceTable;
    }

    public String targetTable() {
        return targetTable;
    }

    public KeyAttribute partitionKey() {
        return partitionKey;
    }

    public Optional<KeyAttribute> sortKey() {
        return Optional.ofNullable(sortKey);
    }

    public Set<String> excludedColumns() {
        return excludedColumns;
    }

    /** Column name to attribute name, for renamed columns only. */
    public Map<String, String> renames() {
        return renames;
    }

    /** The attribute a column's value is stored under. */
    public String attributeName(String column) {
        return renames.getOrDefault(column, column);
    }

    public String versionAttribute() {
        return versionAttribute;
    }

    public DeleteMode deleteMode() {
        return deleteMode;
    }

    public String deletedAttribute() {
        return deletedAttribute;
    }

    public String ttlAttribute() {
        return ttlAttribute;
    }

    public Duration ttlDuration() {
        return ttlDuration;
    }

    public String keySeparator() {
        return keySeparator;
    }

    public TruncateMode truncateMode() {
        return truncateMode;
    }

    @Override
    public String toString() {
        return sourceTable + " -> " + targetTable + " (partition " + partitionKey
                + (sortKey == null ? "" : ", sort " + sortKey) + ", deletes " + deleteMode + ", truncate "
                + truncateMode + ")";
    }

    /** Builds a {@link DynamoDbTableMapping}; the partition key is required, everything else has a default. */
    public static final class Builder {
        private final TableId sourceTable;
        private String targetTable;
        private KeyAttribute partitionKey;
        private KeyAttribute sortKey;
        private final Set<String> excludedColumns = new LinkedHashSet<>();
        private final Map<String, String> renames = new LinkedHashMap<>();
        private String versionAttribute = "_version";
        private DeleteMode deleteMode = DeleteMode.HARD;
        private String deletedAttribute = "_deleted";
        private String ttlAttribute = "_expires_at";
        private Duration ttlDuration = Duration.ofDays(7);
        private String keySeparator = "#";
        private TruncateMode truncateMode = TruncateMode.DELETE;

        private Builder(TableId sourceTable) {
            this.sourceTable = sourceTable;
        }

        /** The DynamoDB table; defaults to {@code schema.table} of the source. */
        public Builder targetTable(String targetTable) {
            this.targetTable = targetTable;
            return this;
        }

        public Builder partitionKey(String attribute, ScalarAttributeType type, String... columns) {
            this.partitionKey = new KeyAttribute(attribute, type, List.of(columns));
            return this;
        }

        public Builder sortKey(String attribute, ScalarAttributeType type, String... columns) {
            this.sortKey = new KeyAttribute(attribute, type, List.of(columns));
            return this;
        }

        public Builder excludeColumns(String... columns) {
            this.excludedColumns.addAll(List.of(columns));
            return this;
        }

        public Builder rename(String column, String attribute) {
            this.renames.put(column, attribute);
            return this;
        }

        /** The attribute holding the change position that fences writes; default {@code _version}. */
        public Builder versionAttribute(String versionAttribute) {
            this.versionAttribute = Objects.requireNonNull(versionAttribute);
            return this;
        }

        public Builder deleteMode(DeleteMode deleteMode) {
            this.deleteMode = Objects.requireNonNull(deleteMode);
            return this;
        }

        /** Tombstone mode: the flag attribute (default {@code _deleted}) and TTL attribute (default {@code _expires_at}). */
        public Builder tombstone(String deletedAttribute, String ttlAttribute, Duration ttlDuration) {
            this.deleteMode = DeleteMode.TOMBSTONE;
            this.deletedAttribute = Objects.requireNonNull(deletedAttribute);
            this.ttlAttribute = Objects.requireNonNull(ttlAttribute);
            this.ttlDuration = Objects.requireNonNull(ttlDuration);
            return this;
        }

        public Builder keySeparator(String keySeparator) {
            this.keySeparator = Objects.requireNonNull(keySeparator);
            return this;
        }

        /** What a TRUNCATE of the source table does; default {@link TruncateMode#DELETE}. */
        public Builder truncateMode(TruncateMode truncateMode) {
            this.truncateMode = Objects.requireNonNull(truncateMode);
            return this;
        }

        public DynamoDbTableMapping build() {
            return new DynamoDbTableMapping(this);
        }
    }
}
