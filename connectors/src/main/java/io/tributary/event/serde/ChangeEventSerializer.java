package io.tributary.event.serde;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Binary serializer for {@link ChangeEvent}: the schema once per record as a cached blob, then
 * op, flags, positions, the two row images and the unknown columns of the new image; a TRUNCATE also
 * carries its fan-out copy (index, count, routing key). Events are immutable, so copy returns the same
 * instance.
 */
public final class ChangeEventSerializer extends ImmutableValueSerializer<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private static final Op[] OPS = Op.values();

    private transient TableSchemaCodec schemas;

    private TableSchemaCodec schemas() {
        if (schemas == null) {
            schemas = new TableSchemaCodec();
        }
        return schemas;
    }

    @Override
    public void serialize(ChangeEvent e, DataOutputView out) throws IOException {
        schemas().write(e.schema(), out);
        out.writeByte(e.op().ordinal());
        out.writeBoolean(e.snapshot());
        out.writeLong(e.commitLsn());
        out.writeLong(e.changeLsn());
        out.writeLong(e.txId());
        out.writeLong(e.commitTimeMicros());
        ValueCodec.writeRow(e.before(), out);
        ValueCodec.writeRow(e.after(), out);
        out.writeShort(e.unknownColumnCount());
        for (int n = 0; n < e.unknownColumnCount(); n++) {
            out.writeShort(e.unknownColumnIndex(n));
        }
        if (e.isTruncate()) {
            out.writeInt(e.truncateCopy());
            out.writeInt(e.truncateCopies());
            boolean routed = !e.sequencerKey().equals(e.routingKey());
            out.writeBoolean(routed);
            if (routed) {
                out.writeUTF(e.sequencerKey());
            }
        }
    }

    @Override
    public ChangeEvent deserialize(DataInputView in) throws IOException {
        ChangeEvent.Builder b = ChangeEvent.builder().schema(schemas().read(in));
        Op op = OPS[in.readByte()];
        b.op(op)
                .snapshot(in.readBoolean())
                .commitLsn(in.readLong())
                .changeLsn(in.readLong())
                .txId(in.readLong())
                .commitTimeMicros(in.readLong())
                .before(ValueCodec.readRow(in))
                .after(ValueCodec.readRow(in));
        int n = in.readUnsignedShort();
        if (n > 0) {
            int[] unknown = new int[n];
            for (int i = 0; i < n; i++) {
                unknown[i] = in.readUnsignedShort();
            }
            b.unknownColumns(unknown);
        }
        if (op == Op.TRUNCATE) {
            int copy = in.readInt();
            int copies = in.readInt();
            b.truncateCopy(copy, copies, in.readBoolean() ? in.readUTF() : null);
        }
        return b.build();
    }

    @Override
    public TypeSerializer<ChangeEvent> duplicate() {
        return new ChangeEventSerializer();
    }

    @Override
    public TypeSerializerSnapshot<ChangeEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Savepoint compatibility: the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeEvent> {
        public Snapshot() {
            super(ChangeEventSerializer::new);
        }
    }
}
