package io.tributary.event;

/** What a change did to its row. Snapshot rows are {@link #INSERT} with the snapshot flag set. */
public enum Op {
    INSERT("I"),
    UPDATE("U"),
    DELETE("D");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** The one-letter code the event log's {@code op} column holds, as AWS DMS writes it. */
    public String code() {
        return code;
    }
}
