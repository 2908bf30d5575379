package io.tributary.dynamodb;

import io.tributary.event.TableId;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the DynamoDB sink writes where and how hard: one mapping per captured table (changes of
 * other tables are skipped), buffering, concurrency and retry limits.
 */
public final class DynamoDbSinkSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<TableId, DynamoDbTableMapping> mappings;
    private final int maxInFlightRequests;
    private final int maxBufferedItems;
    private final Duration maxBufferTime;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private DynamoDbSinkSettings(Builder b) {
        Map<TableId, DynamoDbTableMapping> m = new LinkedHashMap<>();
        for (DynamoDbTableMapping mapping : b.mappings) {
            if (m.put(mapping.sourceTable(), mapping) != null) {
                throw new IllegalArgumentException("two DynamoDB mappings for " + mapping.sourceTable() + ": keep one");
            }
        }
        this.mappings = Collections.unmodifiableMap(m);
        Map<String, TableId> targets = new LinkedHashMap<>();
        for (DynamoDbTableMapping mapping : m.values()) {
            TableId other = targets.put(mapping.targetTable(), mapping.sourceTable());
            if (other != null
                    && (mapping.truncateMode() == DynamoDbTableMapping.TruncateMode.DELETE
                            || m.get(other).truncateMode() == DynamoDbTableMapping.TruncateMode.DELETE)) {
                throw new IllegalArgumentException("DynamoDB mappings " + other + " and " + mapping.sourceTable()
                        + " share table " + mapping.targetTable() + ", so a TRUNCATE of one could not tell its items"
                        + " from the other's: give them separate tables, or set truncate=dead-letter on both");
            }
        }
        this.maxInFlightRequests = positive("max in-flight requests", b.maxInFlightRequests);
        this.maxBufferedItems = positive("max buffered items", b.maxBufferedItems);
        this.maxBufferTime = Objects.requireNonNull(b.maxBufferTime);
        this.maxRetries = b.maxRetries;
        this.initialBackoff = Objects.requireNonNull(b.initialBackoff);
        this.maxBackoff = Objects.requireNonNull(b.maxBackoff);
        if (maxRetries < 0) {
            throw new IllegalArgumentException("DynamoDB max retries must be >= 0, got " + maxRetries);
        }
        if (maxBufferTime.isNegative() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("DynamoDB buffer time and backoffs must be >= 0 and max backoff >= "
                    + "initial backoff, got " + maxBufferTime + ", " + initialBackoff + ", " + maxBackoff);
        }
    }

    private static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("DynamoDB " + what + " must be at least 1, got " + value);
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<TableId, DynamoDbTableMapping> mappings() {
        return mappings;
    }

    public int maxInFlightRequests() {
        return maxInFlightRequests;
    }

    public int maxBufferedItems() {
        return maxBufferedItems;
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

    /** Builds {@link DynamoDbSinkSettings}; defaults suit an on-demand table. */
    public static final class Builder {
        private final List<DynamoDbTableMapping> mappings = new ArrayList<>();
        private int maxInFlightRequests = 50;
        private int maxBufferedItems = 2000;
        private Duration maxBufferTime = Duration.ofMillis(500);
        private int maxRetries = 20;
        private Duration initialBackoff = Duration.ofMillis(50);
        private Duration maxBackoff = Duration.ofSeconds(10);

        public Builder addMapping(DynamoDbTableMapping mapping) {
            mappings.add(Objects.requireNonNull(mapping));
            return this;
        }

        public Builder mappings(List<DynamoDbTableMapping> all) {
            all.forEach(this::addMapping);
            return this;
        }

        /** Concurrent PutItem/DeleteItem requests per writer; default 50. */
        public Builder maxInFlightRequests(int maxInFlightRequests) {
            this.maxInFlightRequests = maxInFlightRequests;
            return this;
        }

        /** Distinct keys buffered before writing starts; default 2000. More coalesces more. */
        public Builder maxBufferedItems(int maxBufferedItems) {
            this.maxBufferedItems = maxBufferedItems;
            return this;
        }

        /** The longest a change waits in the buffer when neither the size nor a checkpoint flushes it; default 500 ms. */
        public Builder maxBufferTime(Duration maxBufferTime) {
            this.maxBufferTime = maxBufferTime;
            return this;
        }

        /** Retries of one write on throttling or transient errors before the job fails; default 20. */
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

        public DynamoDbSinkSettings build() {
            return new DynamoDbSinkSettings(this);
        }
    }
}
