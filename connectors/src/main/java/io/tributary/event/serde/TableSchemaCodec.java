package io.tributary.event.serde;

import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a table schema as {@code fingerprint, length, bytes} and caches both directions by
 * fingerprint, so a schema costs a map lookup per record, not a parse. Not thread-safe: each
 * serializer instance has its own.
 */
final class TableSchemaCodec {
    private final Map<Long, byte[]> encoded = new HashMap<>();
    private final Map<Long, TableSchema> decoded = new HashMap<>();

    void write(TableSchema schema, DataOutputView out) throws IOException {
        byte[] bytes = encoded.computeIfAbsent(schema.fingerprint(), f -> encode(schema));
        out.writeLong(schema.fingerprint());
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    TableSchema read(DataInputView in) throws IOException {
        long fingerprint = in.readLong();
        int length = in.readInt();
        TableSchema cached = decoded.get(fingerprint);
        if (cached != null) {
            in.skipBytesToRead(length);
            return cached;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        TableSchema schema = decode(new DataInputDeserializer(bytes));
        decoded.put(fingerprint, schema);
        return schema;
    }

    private static byte[] encode(TableSchema schema) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(schema.table().schema());
            out.writeUTF(schema.table().table());
            out.writeInt(schema.size());
            for (Column c : schema.columns()) {
                out.writeUTF(c.name());
                out.writeBoolean(c.nullable());
                writeType(c.type(), out);
            }
            out.writeInt(schema.keyColumns().size());
            for (String k : schema.keyColumns()) {
                out.writeUTF(k);
            }
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TableSchema decode(DataInputView in) throws IOException {
        TableId table = new TableId(in.readUTF(), in.readUTF());
        int n = in.readInt();
        List<Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            boolean nullable = in.readBoolean();
            columns.add(new Column(name, readType(in), nullable));
        }
        int k = in.readInt();
        List<String> keys = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            keys.add(in.readUTF());
        }
        return new TableSchema(table, columns, keys);
    }

    private static void writeType(ColumnType t, DataOutputView out) throws IOException {
        out.writeUTF(t.kind().name());
        out.writeUTF(t.sourceType());
        if (t.kind() == ValueKind.DECIMAL) {
            out.writeInt(t.precision());
            out.writeInt(t.scale());
        } else if (t.kind() == ValueKind.ARRAY) {
            writeType(t.element(), out);
        }
    }

    private static ColumnType readType(DataInputView in) throws IOException {
        ValueKind kind = ValueKind.valueOf(in.readUTF());
        String sourceType = in.readUTF();
        switch (kind) {
            case DECIMAL:
                return ColumnType.decimal(in.readInt(), in.readInt(), sourceType);
            case ARRAY:
                return ColumnType.arrayOf(readType(in), sourceType);
            default:
                return ColumnType.of(kind, sourceType);
        }
    }
}
