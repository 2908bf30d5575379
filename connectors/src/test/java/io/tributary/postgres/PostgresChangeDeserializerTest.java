package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;

import org.apache.flink.util.Collector;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class PostgresChangeDeserializerTest {
    private static final TableId WIDGETS = new TableId("public", "widgets");
    private static final Schema SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    private static final Schema KEY = SchemaBuilder.struct()
            .name("pg.public.widgets.Key")
            .field("id", Schema.INT32_SCHEMA)
            .build();
    private static final Schema ROW_V1 = row(false);
    private static final Schema ROW_V2 = row(true);

    private final PostgresChangeDeserializer deserializer = new PostgresChangeDeserializer(Map.of());

    private static Schema row(boolean withColor) {
        SchemaBuilder b = SchemaBuilder.struct()
                .name("pg.public.widgets.Value")
                .field("id", PostgresTypeMapperTest.col(SchemaBuilder.int32(), "int4"))
                .field("price", PostgresTypeMapperTest.col(SchemaBuilder.string(), "numeric", 8, 2))
                .field("notes", PostgresTypeMapperTest.col(SchemaBuilder.string(), "text"));
        if (withColor) {
            b.field("color", PostgresTypeMapperTest.col(SchemaBuilder.string(), "text"));
        }
        return b.build();
    }

    private static Schema envelope(Schema row) {
        return SchemaBuilder.struct()
                .name("pg.public.widgets.Envelope")
                .field("before", optional(row))
                .field("after", optional(row))
                .field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    private static final Map<Schema, Schema> OPTIONAL = new HashMap<>();

    private static Schema optional(Schema row) {
        return OPTIONAL.computeIfAbsent(row, r -> {
            SchemaBuilder b = SchemaBuilder.struct().name(r.name()).optional();
            r.fields().forEach(f -> b.field(f.name(), f.schema()));
            return b.build();
        });
    }

    private static SourceRecord record(
            Schema rowSchema, String op, Object[] before, Object[] after, long lsn, Long lsnCommit) {
        Schema env = envelope(rowSchema);
        Schema opt = optional(rowSchema);
        Struct value = new Struct(env)
                .put("before", image(opt, before))
                .put("after", image(opt, after))
                .put(
                        "source",
                        new Struct(SOURCE)
                                .put("ts_ms", 1_700_000_000_123L)
                                .put("schema", "public")
                                .put("table", "widgets")
                                .put("txId", "r".equals(op) ? null : 77L)
                                .put("lsn", lsn))
                .put("op", op);
        Map<String, Object> offset = new HashMap<>();
        offset.put("lsn", lsn);
        offset.put("ts_usec", 1_700_000_000_123_456L);
        if (lsnCommit != null) {
            offset.put("lsn_commit", lsnCommit);
        }
        Object[] keyValues = after != null ? after : before;
        Struct key = keyValues == null ? null : new Struct(KEY).put("id", keyValues[0]);
        // Debezium 1.9 (EventDispatcher) gives a TRUNCATE record neither key nor key schema
        return new SourceRecord(
                Map.of("server", "pg"), offset, "pg.public.widgets", "t".equals(op) ? null : KEY, key, env, value);
    }

    private static Struct image(Schema schema, Object[] values) {
        if (values == null) {
            return null;
        }
        Struct s = new Struct(schema);
        for (int i = 0; i < values.length; i++) {
            s.put(schema.fields().get(i), values[i]);
        }
        return s;
    }

    private List<ChangeEvent> run(SourceRecord... records) {
        List<ChangeEvent> out = new ArrayList<>();
        Collector<ChangeEvent> collector = new Collector<>() {
            @Override
            public void collect(ChangeEvent e) {
                out.add(e);
            }

            @Override
            public void close() {}
        };
        for (SourceRecord r : records) {
            deserializer.deserialize(r, collector);
        }
        return out;
    }

    @Test
    void snapshotReadIsInsertWithSnapshotFlagAndZeroChangeLsn() {
        ChangeEvent e = run(record(ROW_V1, "r", null, new Object[] {1, "9.50", "x"}, 0L, null))
                .get(0);
        assertThat(e.op()).isEqualTo(Op.INSERT);
        assertThat(e.snapshot()).isTrue();
        assertThat(e.table()).isEqualTo(WIDGETS);
        assertThat(e.schema().keyColumns()).containsExactly("id");
        assertThat(e.after()).isEqualTo(Row.of(1, new BigDecimal("9.50"), "x"));
        assertThat(e.commitLsn()).isEqualTo(0L);
        assertThat(e.changeLsn()).isEqualTo(0L);
        assertThat(e.commitTimeMicros()).isEqualTo(1_700_000_000_123_456L);
    }

    @Test
    void snapshotRowTakesItsChunksLowWatermarkAsPosition() {
        SourceRecord read = PostgresChunkPositionEmitter.withOffsets(
                record(ROW_V1, "r", null, new Object[] {1, "9.50", "x"}, 0L, null), 0x5000L, null);
        List<ChangeEvent> out = run(read);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).commitLsn()).isEqualTo(0x5000L);
        assertThat(out.get(0).changeLsn()).isEqualTo(0L);
        // a row merged from the chunk's backfill carries that change's LSN, but takes the chunk's position too
        SourceRecord merged = PostgresChunkPositionEmitter.withOffsets(
                record(ROW_V1, "r", null, new Object[] {2, "1.00", "y"}, 0x5100L, null), 0x5000L, null);
        assertThat(run(merged).get(0).commitLsn()).isEqualTo(0x5000L);
    }

    @Test
    void firstRowOfATablesFirstChunkBringsTheBaselineTruncateBelowEverySnapshotRow() {
        SourceRecord first = PostgresChunkPositionEmitter.withOffsets(
                record(ROW_V1, "r", null, new Object[] {1, "9.50", "x"}, 0L, null), 0x5000L, 0x4F00L);
        List<ChangeEvent> out = run(first);
        assertThat(out).hasSize(2);
        ChangeEvent baseline = out.get(0);
        assertThat(baseline.isTruncate()).isTrue();
        assertThat(baseline.snapshot()).isTrue();
        assertThat(baseline.table()).isEqualTo(WIDGETS);
        assertThat(baseline.commitLsn()).isEqualTo(0x4EFFL);
        assertThat(baseline.changeLsn()).isEqualTo(0L);
        assertThat(out.get(1).isAfter(baseline.commitLsn(), baseline.changeLsn()))
                .isTrue();
        // a change committed before the baseline was read lies at least one WAL record below it
        assertThat(baseline.isAfter(0x4EE0L, 0x4EE0L)).isTrue();
        // the mark only ever comes on a snapshot row
        assertThat(PostgresChangeDeserializer.baselineTruncate(
                        Map.of(PostgresChunkPositionEmitter.BASELINE_LSN, 1L),
                        run(record(ROW_V1, "c", null, new Object[] {3, "1.00", "z"}, 0x6000L, 0x5F00L))
                                .get(0)))
                .isNull();
    }

    @Test
    void watermarkLsnIsReadFromFlinkCdcsStringOffset() {
        assertThat(PostgresChunkPositionEmitter.lsnOf(Map.of("lsn", "12345", "txId", "7")))
                .isEqualTo(12345L);
        assertThat(PostgresChunkPositionEmitter.lsnOf(Map.of("lsn", 12345L))).isEqualTo(12345L);
        assertThat(PostgresChunkPositionEmitter.lsnOf(Map.of())).isNull();
    }

    @Test
    void snapshotModesDecideFromTheSlot() {
        assertThat(PostgresSnapshotMode.parse("when-needed")).isEqualTo(PostgresSnapshotMode.WHEN_NEEDED);
        assertThat(PostgresSnapshotMode.INITIAL.snapshots(true)).isTrue();
        assertThat(PostgresSnapshotMode.ALWAYS.snapshots(true)).isTrue();
        assertThat(PostgresSnapshotMode.NEVER.snapshots(false)).isFalse();
        assertThat(PostgresSnapshotMode.WHEN_NEEDED.snapshots(false)).isTrue();
        assertThat(PostgresSnapshotMode.WHEN_NEEDED.snapshots(true)).isFalse();
        Assertions.assertThatThrownBy(() -> PostgresSnapshotMode.parse("sometimes"))
                .hasMessageContaining("initial, never, when-needed, always");
    }

    @Test
    void missingSlotMessageSaysWhatHappenedAndHowToRebaseline() {
        assertThat(PostgresSlotRestoreCheck.missingSlotMessage("s1", "db:5432/app"))
                .contains("replication slot 's1' does not exist on db:5432/app")
                .contains("creates nothing")
                .contains("WITHOUT the savepoint or checkpoint")
                .contains("source.postgres.snapshot.mode=initial");
    }

    @Test
    void streamedInsertUpdateDeleteCarryTheirOwnLsnAndTransaction() {
        List<ChangeEvent> events = run(
                record(ROW_V1, "c", null, new Object[] {1, "1.00", "a"}, 100L, null),
                record(
                        ROW_V1,
                        "u",
                        null,
                        new Object[] {1, "2.00", PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER},
                        200L,
                        150L),
                record(ROW_V1, "d", new Object[] {1, null, null}, null, 300L, 300L));
        assertThat(events).extracting(ChangeEvent::op).containsExactly(Op.INSERT, Op.UPDATE, Op.DELETE);
        assertThat(events).noneMatch(ChangeEvent::snapshot);
        assertThat(events).extracting(ChangeEvent::commitLsn).containsExactly(100L, 200L, 300L);
        assertThat(events).extracting(ChangeEvent::changeLsn).containsExactly(100L, 200L, 300L);
        assertThat(events).extracting(ChangeEvent::txId).containsOnly(77L);
        assertThat(events.get(1).before()).isNull();
        assertThat(events.get(1).after().get(2)).isSameAs(Row.UNCHANGED_TOAST);
        assertThat(events.get(2).after()).isNull();
        assertThat(events.get(2).key()).containsExactly(1);
        assertThat(events.get(2).before()).isEqualTo(Row.of(1, null, null));
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i)
                            .isAfter(
                                    events.get(i - 1).commitLsn(),
                                    events.get(i - 1).changeLsn()))
                    .isTrue();
        }
    }

    @Test
    void laterCommittedTransactionThatWroteEarlierSortsAfterTheEarlierCommit() {
        // A: insert K @100, delete K @300, commit ends @320. B wrote K @200 (waiting on the unique index for A)
        // and commits after A: the stream sends B after A's COMMIT, so B's lsn_commit is 320.
        List<ChangeEvent> events = run(
                record(ROW_V1, "c", null, new Object[] {1, "1.00", "a"}, 100L, 50L),
                record(ROW_V1, "d", new Object[] {1, null, null}, null, 300L, 50L),
                record(ROW_V1, "c", null, new Object[] {1, "2.00", "b"}, 200L, 320L));
        assertThat(events).extracting(ChangeEvent::commitLsn).containsExactly(100L, 300L, 320L);
        assertThat(events).extracting(ChangeEvent::changeLsn).containsExactly(100L, 300L, 200L);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i)
                            .isAfter(
                                    events.get(i - 1).commitLsn(),
                                    events.get(i - 1).changeLsn()))
                    .as("event %d after event %d", i, i - 1)
                    .isTrue();
        }
    }

    @Test
    void transactionPositionIsTheGreaterOfThePreviousCommitAndTheChangeLsnUnsigned() {
        assertThat(PostgresChangeDeserializer.transactionPosition(Map.of("lsn_commit", 500L), 200L))
                .isEqualTo(500L);
        assertThat(PostgresChangeDeserializer.transactionPosition(Map.of("lsn_commit", 100L), 200L))
                .isEqualTo(200L);
        assertThat(PostgresChangeDeserializer.transactionPosition(Map.of("lsn", 200L), 200L))
                .as("no commit passed yet: the change's own LSN, as positions were before this rule")
                .isEqualTo(200L);
        assertThat(PostgresChangeDeserializer.transactionPosition(null, 200L)).isEqualTo(200L);
        assertThat(PostgresChangeDeserializer.transactionPosition(Map.of("lsn_commit", 0x8000_0000_0000_0000L), 1L))
                .isEqualTo(0x8000_0000_0000_0000L);
    }

    @Test
    void snapshotRowSortsBeforeLaterStreamedChangeOfTheSameRow() {
        // A snapshot row merged from the backfill carries the LSN of the change it was built from.
        ChangeEvent snap = run(record(ROW_V1, "r", null, new Object[] {1, "1.00", "a"}, 400L, 10L))
                .get(0);
        assertThat(snap.commitLsn()).isEqualTo(400L);
        assertThat(snap.changeLsn()).isZero();
        // lsn_commit is the previous transaction's commit; it must not pull the change before the snapshot row.
        ChangeEvent upd = run(record(ROW_V1, "u", null, new Object[] {1, "2.00", "b"}, 500L, 10L))
                .get(0);
        assertThat(upd.isAfter(snap.commitLsn(), snap.changeLsn())).isTrue();
    }

    @Test
    void tombstonesAndHeartbeatsAreSkipped() {
        SourceRecord tombstone =
                new SourceRecord(Map.of(), Map.of(), "t", KEY, new Struct(KEY).put("id", 1), null, null);
        Schema heartbeat = SchemaBuilder.struct()
                .name("io.debezium.connector.common.Heartbeat")
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();
        SourceRecord beat = new SourceRecord(
                Map.of(), Map.of(), "hb", null, null, heartbeat, new Struct(heartbeat).put("ts_ms", 1L));
        assertThat(run(tombstone, beat)).isEmpty();
    }

    @Test
    void truncateIsAnEventOfTheWholeTableWithItsPositionAndNoImages() {
        List<ChangeEvent> events = run(
                record(ROW_V1, "c", null, new Object[] {1, "1.00", "a"}, 100L, null),
                record(ROW_V1, "t", null, null, 200L, 150L));

        ChangeEvent t = events.get(1);
        assertThat(t.op()).isEqualTo(Op.TRUNCATE);
        assertThat(t.isTruncate()).isTrue();
        assertThat(t.table()).isEqualTo(WIDGETS);
        assertThat(t.before()).isNull();
        assertThat(t.after()).isNull();
        assertThat(t.key()).isEmpty();
        assertThat(t.routingKey()).isEqualTo("public.widgets");
        assertThat(t.commitLsn()).isEqualTo(200L);
        assertThat(t.changeLsn()).isEqualTo(200L);
        assertThat(t.txId()).isEqualTo(77L);
        assertThat(t.commitTimeMicros()).isEqualTo(1_700_000_000_123_456L);
        assertThat(t.snapshot()).isFalse();
        assertThat(t.schema())
                .as("the rows' schema, keys included, so the event log keeps its file")
                .isSameAs(events.get(0).schema());
        assertThat(run(record(ROW_V1, "c", null, new Object[] {2, "1.00", "a"}, 300L, null))
                        .get(0)
                        .schema())
                .as("a truncate does not evict the rows' schema")
                .isSameAs(events.get(0).schema());
    }

    @Test
    void truncateBeforeAnyRowOfItsTableTakesTheKeysTheCatalogFound() {
        PostgresChangeDeserializer fresh = new PostgresChangeDeserializer(
                Map.of(), Map.of(WIDGETS, List.of("id")), PostgresTypeMapper.DEFAULT_TOAST_PLACEHOLDER);
        ChangeEvent t = fresh.toChangeEvent(record(ROW_V1, "t", null, null, 200L, null));
        ChangeEvent row = fresh.toChangeEvent(record(ROW_V1, "c", null, new Object[] {1, "1.00", "a"}, 300L, null));

        assertThat(t.schema().keyColumns()).containsExactly("id");
        assertThat(t.schema().fingerprint()).isEqualTo(row.schema().fingerprint());
    }

    @Test
    void schemaIsCachedPerConnectSchemaAndChangesWithIt() {
        List<ChangeEvent> events = run(
                record(ROW_V1, "c", null, new Object[] {1, "1.00", "a"}, 100L, null),
                record(ROW_V1, "c", null, new Object[] {2, "1.00", "a"}, 110L, null),
                record(ROW_V2, "c", null, new Object[] {3, "1.00", "a", "red"}, 120L, null));
        assertThat(events.get(1).schema()).isSameAs(events.get(0).schema());
        assertThat(events.get(2).schema().fingerprint())
                .isNotEqualTo(events.get(0).schema().fingerprint());
        assertThat(events.get(2).schema().indexOf("color")).isEqualTo(3);
        assertThat(events.get(2).after().get(3)).isEqualTo("red");
    }

    @Test
    void configuredKeyColumnsOverrideTheRecordKey() {
        PostgresChangeDeserializer keyed = new PostgresChangeDeserializer(Map.of(WIDGETS, List.of("notes", "id")));
        ChangeEvent e = keyed.toChangeEvent(record(ROW_V1, "c", null, new Object[] {1, "1.00", "n"}, 100L, null));
        assertThat(e.schema().keyColumns()).containsExactly("notes", "id");
        assertThat(e.key()).containsExactly("n", 1);
    }
}
