package io.tributary.dynamodb;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import org.apache.flink.connector.datagen.source.GeneratorFunction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/** A deterministic mixed workload of change events over two tables, and the read model it must leave. */
final class ReadModelWorkload {
    static final TableSchema ITEMS = new TableSchema(
            new TableId("public", "items"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT64, "int8"), false),
                    new Column("qty", ColumnType.of(ValueKind.INT32, "int4"), true),
                    new Column("price", ColumnType.decimal(12, 2, "numeric"), true),
                    new Column("doc", ColumnType.of(ValueKind.JSON, "jsonb"), true),
                    new Column("tags", ColumnType.arrayOf(ColumnType.of(ValueKind.STRING, "text"), "_text"), true),
                    new Column("updated", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true),
                    new Column("raw", ColumnType.of(ValueKind.BYTES, "bytea"), true)),
            List.of("id"));
    static final TableSchema LINES = new TableSchema(
            new TableId("public", "order_lines"),
            List.of(
                    new Column("order_id", ColumnType.of(ValueKind.INT64, "int8"), false),
                    new Column("line_no", ColumnType.of(ValueKind.INT32, "int4"), false),
                    new Column("sku", ColumnType.of(ValueKind.STRING, "text"), true)),
            List.of("order_id", "line_no"));

    final List<ChangeEvent> events = new ArrayList<>();
    /** routing key → last event. */
    final Map<String, ChangeEvent> last = new LinkedHashMap<>();

    private long lsn = 0x1_0000_0000L;

    /** {@code ops} random changes over {@code keys} rows per table after a snapshot of every row. */
    static ReadModelWorkload mixed(int keys, int ops, long seed) {
        ReadModelWorkload w = new ReadModelWorkload();
        Random r = new Random(seed);
        Map<String, Row> state = new HashMap<>();
        long snapshotLsn = w.lsn;
        for (int k = 0; k < keys; k++) {
            w.add(
                    ChangeEvent.builder()
                            .schema(ITEMS)
                            .op(Op.INSERT)
                            .after(w.itemRow(k, r))
                            .commitLsn(snapshotLsn)
                            .changeLsn(0)
                            .snapshot(true)
                            .commitTimeMicros(1_795_000_000_000_000L)
                            .build(),
                    state);
            w.add(
                    ChangeEvent.builder()
                            .schema(LINES)
                            .op(Op.INSERT)
                            .after(Row.of((long) k / 4, k % 4, "sku-" + k))
                            .commitLsn(snapshotLsn)
                            .changeLsn(0)
                            .snapshot(true)
                            .commitTimeMicros(1_795_000_000_000_000L)
                            .build(),
                    state);
        }
        for (int i = 0; i < ops; i++) {
            int k = r.nextInt(keys);
            boolean items = r.nextBoolean();
            Row after = items ? w.itemRow(k, r) : Row.of((long) k / 4, k % 4, "sku-" + k + "-" + i);
            w.change(items ? ITEMS : LINES, after, r.nextInt(5) == 0, state);
        }
        return w;
    }

    /** {@code keys} rows of ITEMS each updated {@code updatesPerKey} times, interleaved. */
    static ReadModelWorkload hotKeys(int keys, int updatesPerKey, long seed) {
        ReadModelWorkload w = new ReadModelWorkload();
        Random r = new Random(seed);
        Map<String, Row> state = new HashMap<>();
        for (int u = 0; u < updatesPerKey; u++) {
            for (int k = 0; k < keys; k++) {
                w.change(ITEMS, w.itemRow(k, r), false, state);
            }
        }
        return w;
    }

    private Row itemRow(int k, Random r) {
        byte[] raw = new byte[r.nextInt(8)];
        r.nextBytes(raw);
        return Row.of(
                (long) k,
                r.nextInt(1000) - 500,
                new BigDecimal(r.nextInt(100_000)).movePointLeft(2),
                "{\"n\":" + r.nextInt(9) + ",\"nested\":{\"list\":[1.50,\"x\",null,true]}}",
                List.of("t" + r.nextInt(3), "u"),
                Instant.ofEpochSecond(1_795_000_000L + r.nextInt(100_000), r.nextInt(1_000_000) * 1000L),
                raw);
    }

    /** INSERT if the row is absent, else UPDATE or (with {@code delete}) DELETE. */
    private void change(TableSchema schema, Row after, boolean delete, Map<String, Row> state) {
        ChangeEvent probe =
                ChangeEvent.builder().schema(schema).op(Op.INSERT).after(after).build();
        Row before = state.get(probe.routingKey());
        lsn += 16;
        ChangeEvent.Builder b = ChangeEvent.builder()
                .schema(schema)
                .commitLsn(lsn + 8)
                .changeLsn(lsn)
                .commitTimeMicros(1_795_000_000_000_000L + lsn);
        if (before == null) {
            add(b.op(Op.INSERT).after(after).build(), state);
        } else if (delete) {
            add(b.op(Op.DELETE).before(before).build(), state);
        } else {
            add(b.op(Op.UPDATE).before(before).after(after).build(), state);
        }
    }

    private void add(ChangeEvent e, Map<String, Row> state) {
        events.add(e);
        last.put(e.routingKey(), e);
        if (e.after() == null) {
            state.remove(e.routingKey());
        } else {
            state.put(e.routingKey(), e.after());
        }
    }

    /** The items the read model must hold for {@code mapping}'s table, keyed and normalised like {@link #canonical}. */
    Map<String, Map<String, Object>> expected(DynamoDbTableMapping mapping) throws Exception {
        DynamoDbItemMapper mapper = new DynamoDbItemMapper(mapping);
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (ChangeEvent e : last.values()) {
            if (!e.table().equals(mapping.sourceTable())) {
                continue;
            }
            Map<String, AttributeValue> item = e.op() != Op.DELETE
                    ? mapper.item(e)
                    : mapping.deleteMode() == DynamoDbTableMapping.DeleteMode.TOMBSTONE ? mapper.tombstone(e) : null;
            if (item != null) {
                out.put(key(mapping, item), canonical(item));
            }
        }
        return out;
    }

    static Map<String, Map<String, Object>> canonical(
            DynamoDbTableMapping mapping, List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        items.forEach(item -> out.put(key(mapping, item), canonical(item)));
        return out;
    }

    /** The keys whose items differ (missing, extra or other attributes), each with both sides; at most 10. */
    static List<String> differences(
            Map<String, Map<String, Object>> expected, Map<String, Map<String, Object>> actual) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k)) && out.size() < 10) {
                out.add(k + ": expected " + expected.get(k) + " but was " + actual.get(k));
            }
        }
        return out;
    }

    private static String key(DynamoDbTableMapping m, Map<String, AttributeValue> item) {
        return canonicalValue(item.get(m.partitionKey().name())) + "/"
                + m.sortKey().map(s -> canonicalValue(item.get(s.name()))).orElse("");
    }

    /** An item as plain values, numbers by value, so DynamoDB's number normalisation compares equal. */
    static Map<String, Object> canonical(Map<String, AttributeValue> item) {
        Map<String, Object> out = new TreeMap<>();
        item.forEach((k, v) -> out.put(k, canonicalValue(v)));
        return out;
    }

    private static Object canonicalValue(AttributeValue v) {
        if (v.n() != null) {
            return "N:" + new BigDecimal(v.n()).stripTrailingZeros().toPlainString();
        }
        if (v.s() != null) {
            return "S:" + v.s();
        }
        if (v.b() != null) {
            return "B:" + Base64.getEncoder().encodeToString(v.b().asByteArray());
        }
        if (v.hasL()) {
            List<Object> l = new ArrayList<>();
            v.l().forEach(e -> l.add(canonicalValue(e)));
            return l;
        }
        if (v.hasM()) {
            return canonical(v.m());
        }
        return v.bool() != null ? "BOOL:" + v.bool() : "NULL";
    }

    /** Serves a list of events by index, for a DataGeneratorSource. */
    static final class EventList implements GeneratorFunction<Long, ChangeEvent> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<ChangeEvent> events;

        EventList(List<ChangeEvent> events) {
            this.events = new ArrayList<>(events);
        }

        @Override
        public ChangeEvent map(Long index) {
            return events.get(index.intValue());
        }
    }
}
