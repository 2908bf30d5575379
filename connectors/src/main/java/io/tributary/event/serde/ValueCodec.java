package io.tributary.event.serde;

import io.tributary.event.Row;
import io.tributary.event.SpecialValue;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of row values, tagged by class, so rows travel between operators and sit in state
 * without Kryo. Tags are part of the savepoint format: append new ones, never renumber.
 */
final class ValueCodec {
    private static final byte NULL = 0;
    private static final byte UNCHANGED_TOAST = 1;
    private static final byte BOOLEAN = 2;
    private static final byte SHORT = 3;
    private static final byte INT = 4;
    private static final byte LONG = 5;
    private static final byte FLOAT = 6;
    private static final byte DOUBLE = 7;
    private static final byte DECIMAL = 8;
    private static final byte STRING = 9;
    private static final byte DATE = 10;
    private static final byte TIME = 11;
    private static final byte TIMESTAMP = 12;
    private static final byte INSTANT = 13;
    private static final byte BYTES = 14;
    private static final byte LIST = 15;
    private static final byte SPECIAL = 16;
    private static final SpecialValue[] SPECIALS = SpecialValue.values();

    private ValueCodec() {}

    static void writeRow(Row row, DataOutputView out) throws IOException {
        if (row == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(row.size());
        for (int i = 0; i < row.size(); i++) {
            write(row.get(i), out);
        }
    }

    static Row readRow(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            values[i] = read(in);
        }
        return Row.wrap(values);
    }

    static void write(Object v, DataOutputView out) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v == Row.UNCHANGED_TOAST) {
            out.writeByte(UNCHANGED_TOAST);
        } else if (v instanceof String) {
            out.writeByte(STRING);
            writeString((String) v, out);
        } else if (v instanceof Integer) {
            out.writeByte(INT);
            out.writeInt((Integer) v);
        } else if (v instanceof Long) {
            out.writeByte(LONG);
            out.writeLong((Long) v);
        } else if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            out.writeByte(DECIMAL);
            out.writeInt(d.scale());
            writeBytes(d.unscaledValue().toByteArray(), out);
        } else if (v instanceof Boolean) {
            out.writeByte(BOOLEAN);
            out.writeBoolean((Boolean) v);
        } else if (v instanceof Short) {
            out.writeByte(SHORT);
            out.writeShort((Short) v);
        } else if (v instanceof Float) {
            out.writeByte(FLOAT);
            out.writeFloat((Float) v);
        } else if (v instanceof Double) {
            out.writeByte(DOUBLE);
            out.writeDouble((Double) v);
        } else if (v instanceof LocalDate) {
            out.writeByte(DATE);
            out.writeLong(((LocalDate) v).toEpochDay());
        } else if (v instanceof LocalTime) {
            out.writeByte(TIME);
            out.writeLong(((LocalTime) v).toNanoOfDay());
        } else if (v instanceof LocalDateTime) {
            LocalDateTime t = (LocalDateTime) v;
            out.writeByte(TIMESTAMP);
            out.writeLong(t.toEpochSecond(ZoneOffset.UTC));
            out.writeInt(t.getNano());
        } else if (v instanceof Instant) {
            Instant t = (Instant) v;
            out.writeByte(INSTANT);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (v instanceof byte[]) {
            out.writeByte(BYTES);
            writeBytes((byte[]) v, out);
        } else if (v instanceof List) {
            List<?> list = (List<?>) v;
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object e : list) {
                write(e, out);
            }
        } else if (v instanceof SpecialValue) {
            out.writeByte(SPECIAL);
            out.writeByte(((SpecialValue) v).ordinal());
        } else {
            throw new IllegalArgumentException(
                    "no binary form for a value of " + v.getClass().getName());
        }
    }

    static Object read(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case UNCHANGED_TOAST:
                return Row.UNCHANGED_TOAST;
            case BOOLEAN:
                return in.readBoolean();
            case SHORT:
                return in.readShort();
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case FLOAT:
                return in.readFloat();
            case DOUBLE:
                return in.readDouble();
            case DECIMAL:
                int scale = in.readInt();
                return new BigDecimal(new BigInteger(readBytes(in)), scale);
            case STRING:
                return readString(in);
            case DATE:
                return LocalDate.ofEpochDay(in.readLong());
            case TIME:
                return LocalTime.ofNanoOfDay(in.readLong());
            case TIMESTAMP:
                return LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
            case INSTANT:
                return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case BYTES:
                return readBytes(in);
            case LIST:
                int n = in.readInt();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read(in));
                }
                return list;
            case SPECIAL:
                return SPECIALS[in.readByte()];
            default:
                throw new IOException("unknown value tag " + tag + ": corrupt stream or state");
        }
    }

    static void writeString(String s, DataOutputView out) throws IOException {
        // writeUTF is limited to 64 KiB; TOASTed text is larger.
        writeBytes(s.getBytes(StandardCharsets.UTF_8), out);
    }

    static String readString(DataInputView in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] readBytes(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
