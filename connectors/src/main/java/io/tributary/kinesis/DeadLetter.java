package io.tributary.kinesis;

import io.tributary.event.ChangeEvent;
import io.tributary.event.TableId;

import java.io.Serializable;
import java.util.Objects;

/**
 * A change the Kinesis sink could not deliver and did not drop: why, which row, and where in the
 * WAL it came from, so an operator can find and replay it.
 *
 * <p>Raised for a record larger than Kinesis's 1 MiB limit (data plus partition key), and for an
 * event whose values do not match its schema (it cannot be written as JSON). The full event is
 * attached so a handler can store the payload elsewhere (for example the S3 event store).
 */
public final class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String cause;
    private final TableId table;
    private final String key;
    private final String position;
    private final String eventId;
    private final ChangeEvent event;

    public DeadLetter(String cause, ChangeEvent event) {
        this.cause = Objects.requireNonNull(cause, "cause");
        this.event = Objects.requireNonNull(event, "event");
        this.table = event.table();
        this.key = event.routingKey();
        this.position = ChangeEvent.formatLsn(event.commitLsn()) + ":" + ChangeEvent.formatLsn(event.changeLsn());
        this.eventId = event.eventId();
    }

    /** What went wrong, in words an operator can act on. */
    public String cause() {
        return cause;
    }

    public TableId table() {
        return table;
    }

    /** The row's routing key, {@code schema.table/k1/k2}. */
    public String key() {
        return key;
    }

    /** {@code commitLsn:changeLsn}, each formatted as PostgreSQL prints LSNs. */
    public String position() {
        return position;
    }

    public String eventId() {
        return eventId;
    }

    /** The change itself. */
    public ChangeEvent event() {
        return event;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + table + " key " + key + " at " + position + " (" + eventId + "): " + cause + "}";
    }
}
