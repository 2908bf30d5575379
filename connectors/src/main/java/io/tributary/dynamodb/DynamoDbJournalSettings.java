package io.tributary.dynamodb;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the journal writer writes where and how hard: the table, the prefix of every row key's table
 * part, the optional TTL, and batching and retry limits.
 */
public final class DynamoDbJournalSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    /** BatchWriteItem takes at most 25 put requests. */
    public static final int MAX_BATCH = 25;

    private final String table;
    private final String rowPrefix;
    private final Duration ttl;
    private final String ttlAttribute;
    private final int maxInFlightBatches;
    private final Duration maxBufferTime;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private DynamoDbJournalSettings(Builder b) {
        this.table = Objects.requireNonNull(b.table, "journal table");
        this.rowPrefix = Objects.requireNonNull(b.rowPrefix, "row prefix");
        this.ttl = b.ttl;
        this.ttlAttribute = Objects.requireNonNull(b.ttlAttribute, "TTL attribute");
        this.maxInFlightBatches = b.maxInFlightBatches;
        this.maxBufferTime = Objects.requireNonNull(b.maxBufferTime);
        this.maxRetries = b.maxRetries;
        this.initialBackoff = Objects.requireNonNull(b.initialBackoff);
        this.maxBackoff = Objects.requireNonNull(b.maxBackoff);
        if (maxInFlightBatches < 1) {
            throw new IllegalArgumentException(
                    "DynamoDB journal: max in-flight batches must be at least 1, got " + maxInFlightBatches);
        }
        if (maxRetries < 0
                || maxBufferTime.isNegative()
                || initialBackoff.isNegative()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("DynamoDB journal: retries, buffer time and backoffs must be >= 0 and"
                    + " max backoff >= initial backoff");
        }
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("DynamoDB journal: the TTL must be positive, got " + ttl
                    + "; leave it unset to keep items for ever");
        }
        if (DynamoDbJournalLayout.ROW.equals(ttlAttribute)
                || DynamoDbJournalLayout.POSITION.equals(ttlAttribute)
                || DynamoDbJournalLayout.OP.equals(ttlAttribute)
                || DynamoDbJournalLayout.NEW.equals(ttlAttribute)
                || DynamoDbJournalLayout.OLD.equals(ttlAttribute)
                || DynamoDbJournalLayout.TABLE.equals(ttlAttribute)
                || DynamoDbJournalLayout.TX_ID.equals(ttlAttribute)) {
            throw new IllegalArgumentException("DynamoDB journal: TTL attribute '" + ttlAttribute
                    + "' is one of the journal's own attributes: choose another name");
        }
    }

    public static Builder builder(String table) {
        return new Builder(table);
    }

    public String table() {
        return table;
    }

    /** Put before {@code schema.table} in row keys and the {@code table} attribute; empty by default. */
    public String rowPrefix() {
        return rowPrefix;
    }

    /** How long after its commit an item expires, if a TTL is set. */
    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    public String ttlAttribute() {
        return ttlAttribute;
    }

    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    public Duration maxBufferTime() {
        return maxBufferTime;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Builds {@link DynamoDbJournalSettings}; defaults suit an on-demand table. */
    public static final class Builder {
        private final String table;
        private String rowPrefix = "";
        private Duration ttl;
        private String ttlAttribute = "expires_at";
        private int maxInFlightBatches = 16;
        private Duration maxBufferTime = Duration.ofMillis(500);
        private int maxRetries = 20;
        private Duration initialBackoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofSeconds(10);

        private Builder(String table) {
            this.table = table;
        }

        public Builder rowPrefix(String rowPrefix) {
            this.rowPrefix = rowPrefix;
            return this;
        }

        /** Items expire {@code ttl} after their commit time (attribute {@code ttlAttribute}, epoch seconds). */
        public Builder ttl(Duration ttl, String ttlAttribute) {
            this.ttl = ttl;
            this.ttlAttribute = ttlAttribute;
            return this;
        }

        /** BatchWriteItem requests in flight per writer; default 16. */
        public Builder maxInFlightBatches(int maxInFlightBatches) {
            this.maxInFlightBatches = maxInFlightBatches;
            return this;
        }

        /** The longest a change waits for its batch to fill; default 500 ms. */
        public Builder maxBufferTime(Duration maxBufferTime) {
            this.maxBufferTime = maxBufferTime;
            return this;
        }

        /** Retries of a throttled, failed or partly unprocessed batch before the job fails; default 20. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Exponential backoff with jitter between these bounds; defaults 50 ms and 10 s. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public DynamoDbJournalSettings build() {
            return new DynamoDbJournalSettings(this);
        }
    }
}
