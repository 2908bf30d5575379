package io.tributary.s3;

import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.TableSchema;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.schema.MessageType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Avro and Parquet schema of one table's event log files, derived from its {@link TableSchema}.
 *
 * <p>Columns: the row's columns (every one nullable), then the envelope {@code op, is_snapshot,
 * commit_ts, lsn, change_lsn, tx_id, event_id}, the nullable struct {@code old_image} holding the
 * same row columns, then the nullable {@code unknown_columns} (array of source column names, set only
 * when the new image has columns whose value is not known: an unchanged TOASTed value never seen; their
 * row column is null there, meaning "unknown", not SQL NULL), and the nullable {@code special_values}
 * map: where a typed column cannot hold a value PostgreSQL stored (numeric NaN, ±infinity, time
 * 24:00:00, a timestamp past 294247 AD that 64-bit microseconds since 1970 cannot hold), the column is
 * NULL and the map holds the value's text under the column's field name, or {@code old_image.<field>}
 * for the old image. Column names are lower-cased and characters outside {@code [a-z0-9_]} become
 * {@code _}, because Athena and Avro accept nothing else; a source column whose name then equals an
 * envelope column or a partition column ({@code dt}, {@code hr}) is written as {@code src_<name>};
 * names that still collide get {@code _2}, {@code _3}, … in column order. The original names stay
 * in the {@code tributary.schema} footer entry.
 */
public final class ParquetEventLogSchema {
    public static final String OP = "op";
    public static final String IS_SNAPSHOT = "is_snapshot";
    public static final String COMMIT_TS = "commit_ts";
    public static final String LSN = "lsn";
    public static final String CHANGE_LSN = "change_lsn";
    public static final String TX_ID = "tx_id";
    public static final String EVENT_ID = "event_id";
    public static final String OLD_IMAGE = "old_image";
    /** Source column names whose value in this row image is unknown (null where every value is known). */
    public static final String UNKNOWN_COLUMNS = "unknown_columns";
    /** Field name (or {@code old_image.<field>}) → PostgreSQL's text of a value its typed column cannot hold. */
    public static final String SPECIAL_VALUES = "special_values";
    /** Names a source column must not take: the envelope and the Hive partition columns. */
    public static final Set<String> RESERVED = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            OP,
            IS_SNAPSHOT,
            COMMIT_TS,
            LSN,
            CHANGE_LSN,
            TX_ID,
            EVENT_ID,
            OLD_IMAGE,
            UNKNOWN_COLUMNS,
            SPECIAL_VALUES,
            "dt",
            "hr")));
    /** Athena (Hive) decimals hold at most 38 digits; wider numerics are written as plain-text strings. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    private static final String NAMESPACE = "io.tributary.eventlog";

    private final TableSchema table;
    private final List<String> fieldNames;
    private final Schema avro;
    private final MessageType parquet;

    private ParquetEventLogSchema(TableSchema table) {
        this.table = table;
        this.fieldNames = Collections.unmodifiableList(fieldNames(table));
        Map<String, Schema> namedTypes = new HashMap<>();
        List<Schema.Field> rowFields = new ArrayList<>();
        List<Schema.Field> oldFields = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            Schema type = nullable(avroType(table.column(i).type(), namedTypes));
            rowFields.add(new Schema.Field(fieldNames.get(i), type, null, Schema.Field.NULL_DEFAULT_VALUE));
            oldFields.add(new Schema.Field(fieldNames.get(i), type, null, Schema.Field.NULL_DEFAULT_VALUE));
        }
        Schema oldImage =
                Schema.createRecord("OldImage", "the row before the change", NAMESPACE + ".old", false, oldFields);
        List<Schema.Field> fields = new ArrayList<>(rowFields);
        fields.add(new Schema.Field(OP, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(IS_SNAPSHOT, Schema.create(Schema.Type.BOOLEAN)));
        fields.add(new Schema.Field(
                COMMIT_TS, LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))));
        fields.add(new Schema.Field(LSN, Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field(CHANGE_LSN, Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field(TX_ID, Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field(EVENT_ID, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(OLD_IMAGE, nullable(oldImage), null, Schema.Field.NULL_DEFAULT_VALUE));
        fields.add(new Schema.Field(
                UNKNOWN_COLUMNS,
                nullable(Schema.createArray(Schema.create(Schema.Type.STRING))),
                null,
                Schema.Field.NULL_DEFAULT_VALUE));
        fields.add(new Schema.Field(
                SPECIAL_VALUES,
                nullable(Schema.createMap(Schema.create(Schema.Type.STRING))),
                "field name -> text of a value its typed column cannot hold",
                Schema.Field.NULL_DEFAULT_VALUE));
        this.avro = Schema.createRecord(recordName(table), null, NAMESPACE, false, fields);
        this.parquet = ParquetLocalTimeTypes.patch(new AvroSchemaConverter(hadoopConf()).convert(avro), avro);
    }

    /** The schema for {@code table}'s files. */
    public static ParquetEventLogSchema of(TableSchema table) {
        return new ParquetEventLogSchema(table);
    }

    /** Hadoop settings for writing: standard three-level lists, so array elements may be null. */
    static Configuration hadoopConf() {
        Configuration conf = new Configuration(false);
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        return conf;
    }

    public TableSchema table() {
        return table;
    }

    public Schema avro() {
        return avro;
    }

    public MessageType parquet() {
        return parquet;
    }

    /** The Parquet column name of each source column, in column order. */
    public List<String> fieldNames() {
        return fieldNames;
    }

    /** True if a column of this type is written as a plain-text string although it is a decimal. */
    public static boolean decimalAsString(ColumnType type) {
        return type.precision() > MAX_DECIMAL_PRECISION;
    }

    private static Schema avroType(ColumnType type, Map<String, Schema> namedTypes) {
        switch (type.kind()) {
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case INT16:
            case INT32:
                return Schema.create(Schema.Type.INT);
            case INT64:
                return Schema.create(Schema.Type.LONG);
            case FLOAT32:
                return Schema.create(Schema.Type.FLOAT);
            case FLOAT64:
                return Schema.create(Schema.Type.DOUBLE);
            case DECIMAL:
                if (decimalAsString(type)) {
                    return Schema.create(Schema.Type.STRING);
                }
                // one named fixed type per (precision, scale), shared: Avro refuses to define a name twice
                String name = "decimal_" + type.precision() + "_" + type.scale();
                return namedTypes.computeIfAbsent(
                        name,
                        n -> LogicalTypes.decimal(type.precision(), type.scale())
                                .addToSchema(Schema.createFixed(
                                        n, null, NAMESPACE + ".types", decimalBytes(type.precision()))));
            case STRING:
            case UUID:
            case JSON:
                return Schema.create(Schema.Type.STRING);
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME:
                return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP:
                return LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMPTZ:
                return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case BYTES:
                return Schema.create(Schema.Type.BYTES);
            case ARRAY:
                return Schema.createArray(nullable(avroType(type.element(), namedTypes)));
            default:
                throw new IllegalArgumentException("no event log type for " + type);
        }
    }

    /** The {@code special_values} key of a column's value in the old image. */
    public static String oldImageKey(String field) {
        return OLD_IMAGE + "." + field;
    }

    /** The fewest bytes whose two's complement holds every unscaled value of {@code precision} digits. */
    static int decimalBytes(int precision) {
        int bytes = 1;
        while (Math.pow(2, 8 * bytes - 1) < Math.pow(10, precision)) {
            bytes++;
        }
        return bytes;
    }

    private static Schema nullable(Schema s) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), s);
    }

    private static String recordName(TableSchema table) {
        return sanitize(table.table().schema()) + "__" + sanitize(table.table().table());
    }

    static List<String> fieldNames(TableSchema table) {
        List<String> names = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>(RESERVED);
        for (Column c : table.columns()) {
            String base = sanitize(c.name());
            if (RESERVED.contains(base)) {
                base = "src_" + base;
            }
            String name = base;
            for (int n = 2; taken.contains(name); n++) {
                name = base + "_" + n;
            }
            taken.add(name);
            names.add(name);
        }
        return names;
    }

    private static String sanitize(String name) {
        StringBuilder s = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            s.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        if (s.length() == 0 || Character.isDigit(s.charAt(0))) {
            s.insert(0, '_');
        }
        return s.toString();
    }
}
