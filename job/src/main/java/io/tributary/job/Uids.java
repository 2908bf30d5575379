package io.tributary.job;

/**
 * Stable operator ids. Savepoints map state to operators by these: never change one that has
 * shipped, or a restore will not find its state.
 */
public final class Uids {
    public static final String SOURCE = "postgres-cdc-source";
    public static final String TRUNCATE_FAN_OUT = "truncate-fan-out";
    public static final String SEQUENCER = "row-sequencer";
    /** Stateless (metrics only); chained to the sequencer. */
    public static final String LAG_REPORTER = "lag-reporter";

    public static final String TRUNCATE_ONCE = "truncate-once";
    public static final String EVENT_LOG = "eventlog-sink";
    /** Stateless (letters are durable when written), but every operator in front of a sink gets a uid. */
    public static final String EVENT_LOG_CHECK = "eventlog-check";

    public static final String KINESIS = "kinesis-sink";
    public static final String DYNAMODB = "dynamodb-sink";
    public static final String DYNAMODB_JOURNAL = "dynamodb-journal-sink";

    private Uids() {}
}
