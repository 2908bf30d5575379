package io.tributary.postgres;

import io.tributary.event.ColumnType;
import io.tributary.event.ValueKind;

import java.util.Locale;

/**
 * The PostgreSQL type → {@link ColumnType} rules by type name, precision and scale, as a plain JDBC result set
 * reports them; the same kinds {@link PostgresTypeMapper} gives Debezium's schemas of those types, and the one
 * numeric precision limit both use. PostgreSQL sends a domain's base type in a result set's row description, so
 * a domain over int is {@code int4} here, as it is an INT32 for the capture.
 */
public final class PostgresColumnTypes {
    /** PostgreSQL's numeric allows at most 1000 digits; a larger (or no) precision means unconstrained numeric. */
    static final int MAX_NUMERIC_PRECISION = 1000;

    private PostgresColumnTypes() {}

    /** The column type of PostgreSQL type {@code typeName} ({@code _int4} for int[]) with JDBC precision and scale. */
    public static ColumnType of(String typeName, int precision, int scale) {
        String t = typeName.toLowerCase(Locale.ROOT);
        if (t.startsWith("_")) {
            return ColumnType.arrayOf(of(t.substring(1), 0, 0), t);
        }
        switch (t) {
            case "bool":
                return ColumnType.of(ValueKind.BOOLEAN, t);
            case "int2":
                return ColumnType.of(ValueKind.INT16, t);
            case "int4":
            case "serial":
                return ColumnType.of(ValueKind.INT32, t);
            case "int8":
            case "bigserial":
                return ColumnType.of(ValueKind.INT64, t);
            case "float4":
                return ColumnType.of(ValueKind.FLOAT32, t);
            case "float8":
                return ColumnType.of(ValueKind.FLOAT64, t);
            case "numeric":
            case "decimal":
                // pgjdbc reports precision 0 for an unconstrained numeric: the event model carries it as text
                return decimalOrString(t, precision, scale);
            case "uuid":
                return ColumnType.of(ValueKind.UUID, t);
            case "json":
            case "jsonb":
                return ColumnType.of(ValueKind.JSON, t);
            case "date":
                return ColumnType.of(ValueKind.DATE, t);
            case "time":
                return ColumnType.of(ValueKind.TIME, t);
            case "timestamp":
                return ColumnType.of(ValueKind.TIMESTAMP, t);
            case "timestamptz":
                return ColumnType.of(ValueKind.TIMESTAMPTZ, t);
            case "bytea":
                return ColumnType.of(ValueKind.BYTES, t);
            default:
                return ColumnType.of(ValueKind.STRING, t);
        }
    }

    /** numeric(p,s) as a DECIMAL when p and s are a declared precision and scale, else as PostgreSQL's text. */
    static ColumnType decimalOrString(String sourceType, int precision, int scale) {
        if (precision >= 1 && precision <= MAX_NUMERIC_PRECISION && scale >= 0 && scale <= precision) {
            return ColumnType.decimal(precision, scale, sourceType);
        }
        return ColumnType.of(ValueKind.STRING, sourceType);
    }
}
