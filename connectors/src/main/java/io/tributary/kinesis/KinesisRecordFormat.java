package io.tributary.kinesis;

/**
 * The JSON shape of a Kinesis record. Both are described by JSON Schema files in
 * {@code docs/formats/}.
 */
public enum KinesisRecordFormat {
    /**
     * Tributary's own format: {@code eventId, op, table, key, old, new, txId, lsn, commitTs, snapshot}
     * (docs/formats/kinesis-record.schema.json).
     */
    DEFAULT,
    /**
     * The AWS DMS Kinesis target format ({@code data}, {@code before-image}, {@code metadata}), so
     * consumers written for DMS keep working (docs/formats/kinesis-record-dms.schema.json).
     */
    DMS
}
