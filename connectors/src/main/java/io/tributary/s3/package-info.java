/**
 * The exactly-once Parquet event log on S3 (or any Flink file system) and its Athena DDL.
 *
 * <p>Layout: {@code <prefix>/<schema>.<table>/dt=YYYY-MM-DD/hr=HH/part-<uuid>-<n>.parquet}, by
 * commit time in UTC; one table and one schema version per file (a schema change starts a new
 * file in the same directory); files appear only when a checkpoint completes.
 *
 * <p>Columns: the row's columns, typed and nullable (the new image; for a delete the old image,
 * as AWS DMS writes deletes; all null for a TRUNCATE), then {@code op} (I/U/D, T for a TRUNCATE of the whole
 * table), {@code is_snapshot}, {@code commit_ts}
 * (timestamp micros, UTC), {@code lsn} (the transaction's position in the stream, see
 * {@code PostgresChangeDeserializer}), {@code change_lsn}, {@code tx_id}, {@code event_id},
 * {@code old_image}, a struct of the row's columns, null for inserts, and {@code unknown_columns}, the
 * source names of columns whose value in this row is unknown (an unchanged TOASTed value never seen;
 * the row column is then null), itself null when every value is known.
 *
 * <p>Column names: lower case, characters outside {@code [a-z0-9_]} replaced by {@code _}; a
 * source column named like an envelope column or a partition column ({@code op, is_snapshot,
 * commit_ts, lsn, change_lsn, tx_id, event_id, old_image, unknown_columns, special_values, dt, hr}) is written as
 * {@code src_<name>}; remaining clashes get {@code _2}, {@code _3}, … in column order. The footer
 * entry {@code tributary.schema} holds the source {@link io.tributary.event.TableSchema} as JSON
 * ({@link io.tributary.s3.TableSchemaJson}) with the original names.
 *
 * <p>Types: int2/int4 → int32, int8 → int64, float4/8 → float/double, numeric(p,s) → decimal(p,s)
 * (fixed bytes; above 38 digits, which Athena cannot hold, a plain-text string), text/uuid/json →
 * string, date → date, time → time-micros, timestamp → timestamp-micros not UTC-adjusted,
 * timestamptz → timestamp-micros UTC-adjusted, bytea → binary, arrays → three-level lists.
 *
 * <p>Dead letters: {@link io.tributary.s3.ParquetEventLogCheck}, chained in front of the sink, puts
 * an event whose values a file cannot hold into the dead letters ({@link
 * io.tributary.deadletter.FileSystemDeadLetterHandler}, one JSON file per letter, every destination's) and
 * passes the rest on. {@link io.tributary.s3.FileSystemPathCheck} is the start-up write check of
 * the log and dead-letter paths.
 *
 * <p>Special values: {@code special_values}, a nullable map of strings after {@code old_image}, holds
 * what a typed column cannot (numeric NaN, ±infinity, time 24:00:00, timestamps past 294247 AD): the
 * column is NULL and the map says what it was, keyed by field name ({@code old_image.<field>} for the
 * old image), in PostgreSQL's spelling; docs/formats/README.md has the rule per value kind.
 */
package io.tributary.s3;
