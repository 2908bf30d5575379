package io.tributary.kinesis;

import io.tributary.event.ChangeEvent;
import io.tributary.event.ChangeEventJsonWriter;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.SpecialValue;
import io.tributary.event.TableSchema;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a {@link ChangeEvent} as one JSON Kinesis record, in the {@link KinesisRecordFormat#DEFAULT}
 * or the {@link KinesisRecordFormat#DMS} shape.
 *
 * <p>Streams tokens straight into a byte buffer with a {@link JsonGenerator} (no object tree per
 * record). Values keep their fidelity: decimals are JSON numbers written from
 * {@link BigDecimal#toPlainString()} (never through a double), timestamptz is ISO-8601 UTC with
 * {@code Z} and microseconds, timestamp without zone is ISO local, bytea is base64, json/jsonb is
 * embedded as JSON, arrays are JSON arrays, uuid is its string. NaN and infinite floats, which JSON
 * numbers cannot hold, are written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};
 * so are the {@link SpecialValue}s a numeric, date, timestamp or time column may hold, in PostgreSQL's
 * spelling ({@code "NaN"}, {@code "infinity"}, {@code "24:00:00"}, …). Years before 1 and after 9999 are
 * ISO-8601 expanded years ({@code "-0044-03-15"}, {@code "+10000-01-01"}; year 0 is 1 BC).
 *
 * <p>A TRUNCATE: default format {@code "op":"TRUNCATE"}, an empty {@code key}, null {@code old} and
 * {@code new}; DMS format a control record ({@code record-type} "control", {@code operation}
 * "truncate-table", no {@code data}), as DMS announces table-level operations.
 *
 * <p>Not thread-safe: one instance per writer.
 */
public final class ChangeEventJsonSerializer implements ChangeEventJsonWriter, Serializable {
    private static final long serialVersionUID = 1L;

    static final DateTimeFormatter UTC_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter LOCAL_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    static final DateTimeFormatter TIME_MICROS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private final KinesisRecordFormat format;
    private transient JsonFactory factory;
    private transient ByteArrayBuilder buffer;

    public ChangeEventJsonSerializer(KinesisRecordFormat format) {
        this.format = Objects.requireNonNull(format, "format");
    }

    public KinesisRecordFormat format() {
        return format;
    }

    /**
     * The record's UTF-8 JSON bytes.
     *
     * @throws IllegalArgumentException if a value is not of the class its column's kind names
     */
    public byte[] serialize(ChangeEvent event) {
        if (factory == null) {
            factory = new JsonFactory();
            buffer = new ByteArrayBuilder(1024);
        }
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
            if (format == KinesisRecordFormat.DMS) {
                writeDms(g, event);
            } else {
                writeDefault(g, event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write JSON for " + event.eventId(), e);
        }
        return buffer.toByteArray();
    }

    /** Writes the record's JSON object into {@code g} (a dead letter embeds the event this way). */
    @Override
    public void write(ChangeEvent event, JsonGenerator g) throws IOException {
        if (format == KinesisRecordFormat.DMS) {
            writeDms(g, event);
        } else {
            writeDefault(g, event);
        }
    }

    private static void writeDefault(JsonGenerator g, ChangeEvent e) throws IOException {
        TableSchema schema = e.schema();
        g.writeStartObject();
        g.writeStringField("eventId", e.eventId());
        g.writeStringField("op", e.op().name());
        g.writeStringField("table", schema.table().toString());
        g.writeFieldName("key");
        g.writeStartObject();
        Row keyImage = e.keyImage();
        if (keyImage != null) { // a TRUNCATE has no key
            for (int i : schema.keyIndexes()) {
                writeColumn(g, schema.column(i), keyImage.get(i));
            }
        }
        g.writeEndObject();
        g.writeFieldName("old");
        writeRow(g, schema, e.op() == Op.INSERT || e.isTruncate() ? null : e.before());
        g.writeFieldName("new");
        writeRow(g, schema, e.after());
        g.writeNumberField("txId", e.txId());
        g.writeStringField("lsn", ChangeEvent.formatLsn(e.commitLsn()));
        g.writeStringField("commitTs", commitTs(e));
        g.writeBooleanField("snapshot", e.snapshot());
        writeUnknownColumns(g, "unknownColumns", e);
        g.writeEndObject();
    }

    /**
     * The new image's columns whose value is not known (their value there is null, meaning "unknown"), as an
     * array of column names; written only when there are some, so almost every record is unchanged by it.
     */
    private static void writeUnknownColumns(JsonGenerator g, String field, ChangeEvent e) throws IOException {
        List<String> unknown = e.unknownColumns();
        if (unknown.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (String name : unknown) {
            g.writeString(name);
        }
        g.writeEndArray();
    }

    /**
     * DMS puts the new image in {@code data} (the deleted row for a delete), the old image of an
     * update in {@code before-image}, and the rest in {@code metadata}.
     */
    private static void writeDms(JsonGenerator g, ChangeEvent e) throws IOException {
        TableSchema schema = e.schema();
        g.writeStartObject();
        if (!e.isTruncate()) {
            g.writeFieldName("data");
            writeRow(g, schema, e.op() == Op.DELETE ? e.before() : e.after());
        }
        if (e.op() == Op.UPDATE && e.before() != null) {
            g.writeFieldName("before-image");
            writeRow(g, schema, e.before());
        }
        g.writeFieldName("metadata");
        g.writeStartObject();
        String commitTs = commitTs(e);
        g.writeStringField("timestamp", commitTs);
        g.writeStringField("record-type", e.isTruncate() ? "control" : "data");
        g.writeStringField("operation", dmsOperation(e));
        // rows are partitioned by row; a TRUNCATE, which has no key, by its table
        g.writeStringField("partition-key-type", e.isTruncate() ? "schema-table" : "primary-key");
        g.writeStringField("schema-name", schema.table().schema());
        g.writeStringField("table-name", schema.table().table());
        g.writeNumberField("transaction-id", e.txId());
        g.writeStringField("commit-timestamp", commitTs);
        g.writeStringField(
                "stream-position", ChangeEvent.formatLsn(e.commitLsn()) + ":" + ChangeEvent.formatLsn(e.changeLsn()));
        g.writeStringField("event-id", e.eventId());
        writeUnknownColumns(g, "unknown-columns", e);
        g.writeEndObject();
        g.writeEndObject();
    }

    static String dmsOperation(ChangeEvent e) {
        if (e.isTruncate()) {
            return "truncate-table";
        }
        if (e.snapshot()) {
            return "load";
        }
        return e.op().name().toLowerCase(Locale.ROOT);
    }

    private static String commitTs(ChangeEvent e) {
        long micros = e.commitTimeMicros();
        Instant at =
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        return UTC_MICROS.format(at);
    }

    private static void writeRow(JsonGenerator g, TableSchema schema, Row row) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (int i = 0; i < schema.size(); i++) {
            writeColumn(g, schema.column(i), row.get(i));
        }
        g.writeEndObject();
    }

    private static void writeColumn(JsonGenerator g, Column column, Object value) throws IOException {
        g.writeFieldName(column.name());
        try {
            writeValue(g, column.type(), value);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(
                    "column " + column.name() + " of kind " + column.type() + " holds a "
                            + value.getClass().getName() + ": the event's row does not match its schema",
                    e);
        }
    }

    private static void writeValue(JsonGenerator g, ColumnType type, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        if (v == Row.UNCHANGED_TOAST) {
            throw new IllegalArgumentException("an unchanged TOAST placeholder reached the Kinesis sink:"
                    + " the sink must be fed from the sequencer's output");
        }
        if (v instanceof SpecialValue) {
            g.writeString(((SpecialValue) v).postgresText(type.kind()));
            return;
        }
        switch (type.kind()) {
            case BOOLEAN:
                g.writeBoolean((Boolean) v);
                break;
            case INT16:
                g.writeNumber((Short) v);
                break;
            case INT32:
                g.writeNumber((Integer) v);
                break;
            case INT64:
                g.writeNumber((Long) v);
                break;
            case FLOAT32:
                writeFloating(g, ((Float) v).doubleValue(), v.toString());
                break;
            case FLOAT64:
                writeFloating(g, (Double) v, v.toString());
                break;
            case DECIMAL:
                g.writeNumber(((BigDecimal) v).toPlainString());
                break;
            case STRING:
            case UUID:
                g.writeString((String) v);
                break;
            case JSON:
                g.writeRawValue((String) v);
                break;
            case DATE:
                g.writeString(((LocalDate) v).toString());
                break;
            case TIME:
                g.writeString(TIME_MICROS.format((LocalTime) v));
                break;
            case TIMESTAMP:
                g.writeString(LOCAL_MICROS.format((LocalDateTime) v));
                break;
            case TIMESTAMPTZ:
                g.writeString(UTC_MICROS.format((Instant) v));
                break;
            case BYTES:
                g.writeBinary((byte[]) v);
                break;
            case ARRAY:
                g.writeStartArray();
                for (Object element : (List<?>) v) {
                    writeValue(g, type.element(), element);
                }
                g.writeEndArray();
                break;
            default:
                throw new IllegalArgumentException("no JSON mapping for value kind " + type.kind());
        }
    }

    /** Writes a float from its shortest text form, so 0.1f stays 0.1 and does not become 0.10000000149. */
    private static void writeFloating(JsonGenerator g, double d, String text) throws IOException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            g.writeString(text);
        } else {
            g.writeNumber(text);
        }
    }
}
