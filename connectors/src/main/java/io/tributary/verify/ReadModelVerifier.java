package io.tributary.verify;

import io.tributary.dynamodb.DynamoDbItemMapper;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.dynamodb.DynamoDbUnmappableException;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;
import io.tributary.postgres.PostgresTableRows;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares PostgreSQL tables with their DynamoDB read model: row and item counts, then a per-row
 * diff by key that names missing, extra and differing items and the differing attributes. Each
 * source row is mapped with the sink's own {@link DynamoDbItemMapper}, so the comparison is of
 * attribute values (numbers compared by value, as DynamoDB normalises them); rows are read with the capture's
 * type rules ({@link PostgresTableRows}); the version
 * attribute and tombstones are ignored. Holds one table's items in memory at a time.
 */
public final class ReadModelVerifier {
    private final Connection connection;
    private final DynamoDbClient dynamoDb;
    private final PrintStream out;
    private final int maxReportedRows;

    public ReadModelVerifier(Connection connection, DynamoDbClient dynamoDb, PrintStream out, int maxReportedRows) {
        this.connection = connection;
        this.dynamoDb = dynamoDb;
        this.out = out;
        this.maxReportedRows = maxReportedRows;
    }

    /** What one table's comparison found. */
    public static final class TableResult {
        public final String table;
        public final long sourceRows;
        public final long items;
        public final List<String> missing = new ArrayList<>();
        public final List<String> extra = new ArrayList<>();
        public final List<String> differing = new ArrayList<>();
        /** Source rows the mapper cannot make an item of (expected in the dead letters), by routing key. */
        public final List<String> unmappable = new ArrayList<>();

        TableResult(String table, long sourceRows, long items) {
            this.table = table;
            this.sourceRows = sourceRows;
            this.items = items;
        }

        public boolean matches() {
            return sourceRows == items && missing.isEmpty() && extra.isEmpty() && differing.isEmpty();
        }
    }

    /** Verifies every mapping, printing a report; true if all tables match. */
    public boolean verifyAll(List<DynamoDbTableMapping> mappings) throws SQLException {
        boolean all = true;
        for (DynamoDbTableMapping m : mappings) {
            all &= verify(m).matches();
        }
        out.println(all ? "read model matches the database" : "read model DIFFERS from the database");
        return all;
    }

    public TableResult verify(DynamoDbTableMapping mapping) throws SQLException {
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(mapping);
        Map<String, Map<String, AttributeValue>> expected = new HashMap<>();
        List<String> keyColumns = new ArrayList<>(mapping.partitionKey().columns());
        mapping.sortKey()
                .ifPresent(s -> s.columns().stream()
                        .filter(c -> !keyColumns.contains(c))
                        .forEach(keyColumns::add));
        List<Row> rows = new ArrayList<>();
        List<String> unmappableKeys = new ArrayList<>();
        TableSchema schema = PostgresTableRows.read(connection, mapping.sourceTable(), keyColumns, rows::add);
        for (Row row : rows) {
            ChangeEvent e = ChangeEvent.builder()
                    .schema(schema)
                    .op(Op.INSERT)
                    .after(row)
                    .build();
            try {
                Map<String, AttributeValue> item = mapper.item(e);
                expected.put(keyText(mapping, item), item);
            } catch (DynamoDbUnmappableException unmappable) {
                unmappableKeys.add(e.routingKey());
                out.println("  " + mapping.sourceTable() + " row " + e.routingKey() + " cannot be an item ("
                        + unmappable.getMessage() + "): expected in the dead letters, not the table");
            }
        }
        Map<String, Map<String, AttributeValue>> actual = new HashMap<>();
        dynamoDb.scanPaginator(ScanRequest.builder()
                        .tableName(mapping.targetTable())
                        .consistentRead(true)
                        .build())
                .items()
                .forEach(item -> {
                    AttributeValue deleted = item.get(mapping.deletedAttribute());
                    if (!(mapping.deleteMode() == DynamoDbTableMapping.DeleteMode.TOMBSTONE
                            && deleted != null
                            && Boolean.TRUE.equals(deleted.bool()))) {
                        actual.put(keyText(mapping, item), item);
                    }
                });
        TableResult result = new TableResult(mapping.targetTable(), rows.size(), actual.size());
        result.unmappable.addAll(unmappableKeys);
        for (String key : new TreeSet<>(expected.keySet())) {
            Map<String, AttributeValue> item = actual.get(key);
            if (item == null) {
                result.missing.add(key);
            } else {
                List<String> diff = diff(mapping, expected.get(key), item);
                if (!diff.isEmpty()) {
                    result.differing.add(key + ": " + String.join("; ", diff));
                }
            }
        }
        for (String key : new TreeSet<>(actual.keySet())) {
            if (!expected.containsKey(key)) {
                result.extra.add(key);
            }
        }
        report(mapping, result);
        return result;
    }

    private void report(DynamoDbTableMapping mapping, TableResult r) {
        out.printf(
                "%s -> %s: %d rows, %d items: %s%n",
                mapping.sourceTable(), mapping.targetTable(), r.sourceRows, r.items, r.matches() ? "OK" : "DIFFERENT");
        print("missing in DynamoDB", r.missing);
        print("not in PostgreSQL", r.extra);
        print("different", r.differing);
    }

    private void print(String what, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        out.printf("  %d %s%n", keys.size(), what);
        keys.stream().limit(maxReportedRows).forEach(k -> out.println("    " + k));
        if (keys.size() > maxReportedRows) {
            out.println("    …");
        }
    }

    private static String keyText(DynamoDbTableMapping mapping, Map<String, AttributeValue> item) {
        StringBuilder s = new StringBuilder(mapping.partitionKey().name())
                .append('=')
                .append(scalar(item.get(mapping.partitionKey().name())));
        mapping.sortKey()
                .ifPresent(k -> s.append(' ').append(k.name()).append('=').append(scalar(item.get(k.name()))));
        return s.toString();
    }

    private static String scalar(AttributeValue v) {
        if (v == null) {
            return "<none>";
        }
        if (v.n() != null) {
            return new BigDecimal(v.n()).stripTrailingZeros().toPlainString();
        }
        return v.s() != null
                ? v.s()
                : v.b() != null ? Base64.getEncoder().encodeToString(v.b().asByteArray()) : v.toString();
    }

    private static List<String> diff(
            DynamoDbTableMapping m, Map<String, AttributeValue> want, Map<String, AttributeValue> got) {
        List<String> diff = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(want.keySet());
        names.addAll(got.keySet());
        names.remove(m.versionAttribute());
        for (String name : names) {
            if (!same(want.get(name), got.get(name))) {
                diff.add(name + " is " + got.get(name) + ", expected " + want.get(name));
            }
        }
        return diff;
    }

    /** Equality of attribute values with N compared by numeric value. */
    static boolean same(AttributeValue a, AttributeValue b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.n() != null && b.n() != null) {
            return new BigDecimal(a.n()).compareTo(new BigDecimal(b.n())) == 0;
        }
        if (a.hasL() && b.hasL()) {
            if (a.l().size() != b.l().size()) {
                return false;
            }
            for (int i = 0; i < a.l().size(); i++) {
                if (!same(a.l().get(i), b.l().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.hasM() && b.hasM()) {
            if (!a.m().keySet().equals(b.m().keySet())) {
                return false;
            }
            return a.m().keySet().stream().allMatch(k -> same(a.m().get(k), b.m().get(k)));
        }
        return Objects.equals(a, b);
    }
}
