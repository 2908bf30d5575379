package io.tributary.deadletter;

import io.tributary.event.ChangeEvent;
import io.tributary.event.TableId;

import java.io.Serializable;
import java.util.Objects;

/**
 * A change a destination could not take, kept with why, where it came from and the change itself:
 * the table, the row's key, the source position, the event id and the whole event. Dead letters are
 * routed, never dropped; the job keeps running.
 *
 * <p>The letter holds a reference to the event, not a rendered copy: a handler renders it when it
 * writes the letter (a 50 MB value is held once, not twice).
 */
public final class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;
    /** {@link #payloadSummary()} is cut to this many characters (for logs; handlers write the whole event). */
    public static final int SUMMARY_LIMIT = 2000;

    private final String destination;
    private final String cause;
    private final TableId table;
    private final String key;
    private final long commitLsn;
    private final long changeLsn;
    private final String eventId;
    private final ChangeEvent event;

    private DeadLetter(Builder b) {
        this.destination = Objects.requireNonNull(b.destination, "destination");
        this.cause = Objects.requireNonNull(b.cause, "cause");
        this.table = Objects.requireNonNull(b.table, "table");
        this.key = Objects.requireNonNull(b.key, "key");
        this.commitLsn = b.commitLsn;
        this.changeLsn = b.changeLsn;
        this.eventId = Objects.requireNonNull(b.eventId, "eventId");
        this.event = b.event;
    }

    /** A dead letter for {@code event}, with the event's table, key, position, id and text. */
    public static DeadLetter of(ChangeEvent event, String destination, String cause) {
        return builder()
                .destination(destination)
                .cause(cause)
                .table(event.table())
                .key(event.routingKey())
                .commitLsn(event.commitLsn())
                .changeLsn(event.changeLsn())
                .eventId(event.eventId())
                .event(event)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String summarize(String text) {
        return text.length() <= SUMMARY_LIMIT
                ? text
                : text.substring(0, SUMMARY_LIMIT) + "… (" + text.length() + " chars)";
    }

    /** The destination that refused the change: {@code dynamodb}, {@code kinesis}, … */
    public String destination() {
        return destination;
    }

    /** Why, in words an operator can act on. */
    public String cause() {
        return cause;
    }

    public TableId table() {
        return table;
    }

    /** The row's identity, {@link ChangeEvent#routingKey()}. */
    public String key() {
        return key;
    }

    public long commitLsn() {
        return commitLsn;
    }

    public long changeLsn() {
        return changeLsn;
    }

    public String eventId() {
        return eventId;
    }

    /** The change that could not be written, whole; null only for a letter built without one. */
    public ChangeEvent event() {
        return event;
    }

    /** The start of the event's text form, at most {@value #SUMMARY_LIMIT} characters and a length note. */
    public String payloadSummary() {
        return event == null ? "" : summarize(event.toString());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return commitLsn == d.commitLsn
                && changeLsn == d.changeLsn
                && destination.equals(d.destination)
                && cause.equals(d.cause)
                && table.equals(d.table)
                && key.equals(d.key)
                && eventId.equals(d.eventId)
                && Objects.equals(event, d.event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, eventId, cause);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + destination + " " + key + " @" + ChangeEvent.formatLsn(commitLsn) + "/"
                + ChangeEvent.formatLsn(changeLsn) + " " + eventId + ": " + cause + "]";
    }

    /** Builds a {@link DeadLetter}; all fields but the event are required. */
    public static final class Builder {
        private String destination;
        private String cause;
        private TableId table;
        private String key;
        private long commitLsn;
        private long changeLsn;
        private String eventId;
        private ChangeEvent event;

        public Builder destination(String destination) {
            this.destination = destination;
            return this;
        }

        public Builder cause(String cause) {
            this.cause = cause;
            return this;
        }

        public Builder table(TableId table) {
            this.table = table;
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder commitLsn(long commitLsn) {
            this.commitLsn = commitLsn;
            return this;
        }

        public Builder changeLsn(long changeLsn) {
            this.changeLsn = changeLsn;
            return this;
        }

        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder event(ChangeEvent event) {
            this.event = event;
            return this;
        }

        public DeadLetter build() {
            return new DeadLetter(this);
        }
    }
}
