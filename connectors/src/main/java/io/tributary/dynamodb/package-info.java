/**
 * The DynamoDB read model: one item per source row, converging to the row's latest committed state.
 *
 * <p>Wiring: {@link io.tributary.dynamodb.DynamoDbChangeSink} takes {@link
 * io.tributary.dynamodb.DynamoDbSinkSettings} (one {@link io.tributary.dynamodb.DynamoDbTableMapping}
 * per captured table; other tables are skipped), a {@link io.tributary.dynamodb.DynamoDbClientProvider}
 * and a {@link io.tributary.deadletter.DeadLetterHandler}. Feed it the sequencer's output keyed by
 * {@code ChangeEvent::routingKey}.
 *
 * <p>Item: the mapped columns (excluded columns left out, renames applied), the key attributes,
 * and the version attribute (default {@code _version}): the position as S {@code %016x-%016x}
 * of commit and change LSN, which sorts as text exactly as positions sort (unsigned).
 * Types: int/float/numeric → N (exact; beyond N's 38 digits or range, and NaN/±Infinity, an S of
 * the plain text), text/uuid → S, bytea → B, json/jsonb → M/L/S/N/BOOL/NULL, arrays → L, date →
 * {@code 2026-11-23}, time → {@code 10:15:30.123456}, timestamp → {@code 2026-11-23T10:15:30.123456},
 * timestamptz → {@code 2026-11-23T10:15:30.123456Z}, boolean → BOOL, NULL → NULL.
 *
 * <p>Writes: PutItem (upsert, or a DELETE's tombstone) or DeleteItem (hard DELETE), each with
 * {@code attribute_not_exists(#v) OR #v < :v}; a failed condition is an older or repeated change
 * and is counted ({@code staleWritesRejected}), not an error. Changes to one key between flushes
 * are coalesced into one write of the newest. Everything is written before a checkpoint completes.
 *
 * <p>Guarantee: no replayed, duplicated or late change moves an item backwards while the item
 * holds a version. A hard DELETE removes the version: a change older than the delete that
 * arrives afterwards would re-create the row. The running job never does that (the sequencer
 * drops replays, per-key order is kept, one write per key in flight); a restore from a checkpoint
 * replays the tail including the DELETE, so the item converges again. Replays that stop before
 * the delete (an older savepoint, a bounded replay job) can bring a deleted row back, and so can
 * a write stranded in flight across a failover landing after the replayed DELETE. Tombstone mode
 * ({@code _deleted = true} plus a TTL attribute counted from the commit time) closes these gaps
 * for as long as the tombstone lives.
 *
 * <p>Errors: an item DynamoDB refuses on its own (over 400 KB, nested deeper than 32 levels, a key
 * too long or empty, a number out of range) is a dead letter and the job goes on; a refusal every
 * write would get (a key of the wrong name or type, a missing table, refused credentials) is a
 * configuration error that {@link io.tributary.dynamodb.DynamoDbTableCheck} finds at start-up, and
 * stops the job if it still occurs ({@link io.tributary.dynamodb.DynamoDbErrorClassifier}).
 *
 * <p>{@link io.tributary.verify.ReadModelVerifyCommand} compares the tables with the read model.
 *
 * <p>The event journal ({@link io.tributary.dynamodb.DynamoDbJournalSink}) is a second, separate
 * destination: every change as one item keyed by row and position ({@link
 * io.tributary.dynamodb.DynamoDbJournalLayout}), written with BatchWriteItem, idempotent at-least-once
 * (a re-written change is the same item), checked at start-up by {@link
 * io.tributary.dynamodb.DynamoDbJournalTableCheck} and read by {@link io.tributary.dynamodb.DynamoDbJournalCommand}.
 */
package io.tributary.dynamodb;
