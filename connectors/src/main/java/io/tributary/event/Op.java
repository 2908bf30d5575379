package io.tributary.event;

/**
 * What a change did to its row. Snapshot rows are {@link #INSERT} with the snapshot flag set.
 * {@link #TRUNCATE} is about a whole table: it has no row images and no key.
 */
public enum Op {
    INSERT("I"),
    UPDATE("U"),
    DELETE("D"),
    TRUNCATE("T");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** The one-letter code the event log's {@code op} column holds, as AWS DMS writes it. */
    public String code() {
        return code;
    }
}
