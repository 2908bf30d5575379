package io.tributary.event.serde;

import io.tributary.event.RowState;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Binary serializer for the sequencer's per-row state. Per row it stores two positions (16 bytes),
 * the schema blob header (12 bytes) plus the schema (about 20 bytes a column), and the row image.
 */
public final class RowStateSerializer extends ImmutableValueSerializer<RowState> {
    private static final long serialVersionUID = 1L;

    private transient TableSchemaCodec schemas;

    private TableSchemaCodec schemas() {
        if (schemas == null) {
            schemas = new TableSchemaCodec();
        }
        return schemas;
    }

    @Override
    public void serialize(RowState s, DataOutputView out) throws IOException {
        out.writeLong(s.commitLsn());
        out.writeLong(s.changeLsn());
        schemas().write(s.schema(), out);
        ValueCodec.writeRow(s.image(), out);
    }

    @Override
    public RowState deserialize(DataInputView in) throws IOException {
        long commitLsn = in.readLong();
        long changeLsn = in.readLong();
        return new RowState(commitLsn, changeLsn, schemas().read(in), ValueCodec.readRow(in));
    }

    @Override
    public TypeSerializer<RowState> duplicate() {
        return new RowStateSerializer();
    }

    @Override
    public TypeSerializerSnapshot<RowState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Savepoint compatibility: the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RowState> {
        public Snapshot() {
            super(RowStateSerializer::new);
        }
    }
}
