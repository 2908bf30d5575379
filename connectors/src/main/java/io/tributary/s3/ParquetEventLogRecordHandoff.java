package io.tributary.s3;

import io.tributary.event.ChangeEvent;

import org.apache.avro.generic.GenericRecord;

/**
 * Hands the Avro record {@link ParquetEventLogCheck} converted and validated to the Parquet writer
 * behind it, so an event is converted once, not twice (about a tenth of the writer thread's time).
 *
 * <p>Why this is safe: the check chains to the FileSink's writer, so the writer's
 * {@code addElement} runs in the same thread, inside the check's {@code collect}, before the next
 * event. Events are immutable and {@code ChangeEventSerializer.copy} returns the same instance, so
 * the writer receives the very object the check passed, and a record converted from it is the
 * record the writer would build. The slot matches by identity; anything else (the check not in
 * front, another event) finds nothing and the writer converts as before.
 */
final class ParquetEventLogRecordHandoff {
    private static final ThreadLocal<ParquetEventLogRecordHandoff> SLOT =
            ThreadLocal.withInitial(ParquetEventLogRecordHandoff::new);

    private ChangeEvent event;
    private GenericRecord record;

    private ParquetEventLogRecordHandoff() {}

    /** Offers {@code record}, converted from {@code event}, to the writer in this thread. */
    static void put(ChangeEvent event, GenericRecord record) {
        ParquetEventLogRecordHandoff slot = SLOT.get();
        slot.event = event;
        slot.record = record;
    }

    /** The record offered for exactly this event object, or null; empties the slot either way. */
    static GenericRecord take(ChangeEvent event) {
        ParquetEventLogRecordHandoff slot = SLOT.get();
        GenericRecord record = slot.event == event ? slot.record : null;
        slot.event = null;
        slot.record = null;
        return record;
    }
}
