package io.tributary.kinesis;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the Kinesis sink needs to know, validated once in {@link Builder#build()}. The job's
 * configuration maps its {@code kinesis} property group onto the builder.
 */
public final class KinesisSinkSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** PutRecords limits. */
    public static final int MAX_RECORDS_PER_REQUEST = 500;

    public static final long MAX_BYTES_PER_REQUEST = 5L * 1024 * 1024;
    /** Data plus partition key of one record. */
    public static final long MAX_BYTES_PER_RECORD = 1024L * 1024;

    private final String streamName;
    private final String region;
    private final String endpoint;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final boolean http1;
    private final boolean cborEnabled;
    private final KinesisRecordFormat format;
    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final int maxInFlightRequests;
    private final int maxBufferedRecords;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;
    private final int aggregationBuckets;

    private KinesisSinkSettings(Builder b) {
        streamName = b.streamName;
        region = b.region;
        endpoint = b.endpoint;
        accessKeyId = b.accessKeyId;
        secretAccessKey = b.secretAccessKey;
        http1 = b.http1;
        cborEnabled = b.cborEnabled;
        format = b.format;
        maxBatchRecords = b.maxBatchRecords;
        maxBatchBytes = b.maxBatchBytes;
        maxInFlightRequests = b.maxInFlightRequests;
        maxBufferedRecords = b.maxBufferedRecords;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        maxAttempts = b.maxAttempts;
        aggregationBuckets = b.aggregationBuckets;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String streamName() {
        return streamName;
    }

    public String region() {
        return region;
    }

    /** An endpoint override (a local emulator), or empty for the region's AWS endpoint. */
    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint).map(URI::create);
    }

    /** Static credentials, or empty for the SDK's default chain (the MSF role on the service). */
    public Optional<String> accessKeyId() {
        return Optional.ofNullable(accessKeyId);
    }

    public Optional<String> secretAccessKey() {
        return Optional.ofNullable(secretAccessKey);
    }

    public boolean http1() {
        return http1;
    }

    public boolean cborEnabled() {
        return cborEnabled;
    }

    public KinesisRecordFormat format() {
        return format;
    }

    public int maxBatchRecords() {
        return maxBatchRecords;
    }

    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    public int maxInFlightRequests() {
        return maxInFlightRequests;
    }

    public int maxBufferedRecords() {
        return maxBufferedRecords;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** True when records are put in the KPL aggregation format ({@link KinesisRecordAggregator}). */
    public boolean aggregated() {
        return aggregationBuckets > 0;
    }

    /** Hash-key buckets of the aggregation format (see {@link KinesisAggregationBuckets}); 0 when off. */
    public int aggregationBuckets() {
        return aggregationBuckets;
    }

    @Override
    public String toString() {
        // Never prints the secret key.
        return "KinesisSinkSettings{stream=" + streamName + ", region=" + region + ", endpoint=" + endpoint
                + ", format=" + format + ", batch=" + maxBatchRecords + "/" + maxBatchBytes + "B, inFlight="
                + maxInFlightRequests + ", buffered=" + maxBufferedRecords + ", backoff=" + initialBackoff + ".."
                + maxBackoff + ", attempts=" + maxAttempts + ", aggregationBuckets=" + aggregationBuckets + "}";
    }

    /** Builds {@link KinesisSinkSettings}; the stream name and the region are required. */
    public static final class Builder {
        private String streamName;
        private String region;
        private String endpoint;
        private String accessKeyId;
        private String secretAccessKey;
        private boolean http1;
        private boolean cborEnabled = true;
        private KinesisRecordFormat format = KinesisRecordFormat.DEFAULT;
        private int maxBatchRecords = MAX_RECORDS_PER_REQUEST;
        private long maxBatchBytes = MAX_BYTES_PER_REQUEST;
        private int maxInFlightRequests = 8;
        private int maxBufferedRecords = 20_000;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int maxAttempts = 100;
        private int aggregationBuckets;

        public Builder streamName(String streamName) {
            this.streamName = streamName;
            return this;
        }

        /**
         * The stream's region; no default here: the job passes the configured one or the one it runs in
         * ({@link io.tributary.aws.AwsRegionResolver}), local emulators pass any (the SDK signer needs one).
         */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Endpoint override, e.g. {@code http://127.0.0.1:4567} for kinesalite; null for AWS. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Static credentials; leave unset to use the default credentials chain. */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            return this;
        }

        /** HTTP/1.1 instead of HTTP/2 (kinesalite speaks only HTTP/1.1). */
        public Builder http1(boolean http1) {
            this.http1 = http1;
            return this;
        }

        /** False for kinesalite: sets the JVM-wide {@code aws.cborEnabled=false} when the client is made. */
        public Builder cborEnabled(boolean cborEnabled) {
            this.cborEnabled = cborEnabled;
            return this;
        }

        /** Local-emulator defaults: the endpoint, HTTP/1.1, no CBOR, dummy static credentials. */
        public Builder emulator(String endpoint) {
            return endpoint(endpoint).http1(true).cborEnabled(false).credentials("tributary", "tributary");
        }

        public Builder format(KinesisRecordFormat format) {
            this.format = format;
            return this;
        }

        public Builder maxBatchRecords(int maxBatchRecords) {
            this.maxBatchRecords = maxBatchRecords;
            return this;
        }

        public Builder maxBatchBytes(long maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        public Builder maxInFlightRequests(int maxInFlightRequests) {
            this.maxInFlightRequests = maxInFlightRequests;
            return this;
        }

        /** Records a writer holds (queued, in flight or backing off) before {@code write} waits. */
        public Builder maxBufferedRecords(int maxBufferedRecords) {
            this.maxBufferedRecords = maxBufferedRecords;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Attempts per record before the job fails; throttling counts as an attempt. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Puts change records in the KPL aggregation format, many per Kinesis record, grouped into
         * {@code buckets} hash-key buckets (see {@link KinesisAggregationBuckets}); 0 turns it off (the default).
         */
        public Builder aggregation(int buckets) {
            this.aggregationBuckets = buckets;
            return this;
        }

        public KinesisSinkSettings build() {
            if (streamName == null || streamName.isBlank()) {
                throw new IllegalArgumentException("kinesis stream name is missing: set the stream to write to");
            }
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException(
                        "kinesis region is missing: set the stream's region (any region" + " for a local emulator)");
            }
            Objects.requireNonNull(format, "format");
            if (endpoint != null) {
                URI uri = URI.create(endpoint);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("kinesis endpoint '" + endpoint
                            + "' is not a URL: use e.g. http://127.0.0.1:4567, or leave it unset for AWS");
                }
            }
            if ((accessKeyId == null) != (secretAccessKey == null)) {
                throw new IllegalArgumentException("kinesis credentials need both an access key id and a secret key");
            }
            check(
                    maxBatchRecords >= 1 && maxBatchRecords <= MAX_RECORDS_PER_REQUEST,
                    "kinesis max batch records must be 1.." + MAX_RECORDS_PER_REQUEST + ", got " + maxBatchRecords);
            check(
                    maxBatchBytes >= MAX_BYTES_PER_RECORD && maxBatchBytes <= MAX_BYTES_PER_REQUEST,
                    "kinesis max batch bytes must be " + MAX_BYTES_PER_RECORD + ".." + MAX_BYTES_PER_REQUEST + ", got "
                            + maxBatchBytes);
            check(maxInFlightRequests >= 1, "kinesis max in-flight requests must be at least 1");
            check(
                    maxBufferedRecords >= maxBatchRecords,
                    "kinesis max buffered records must be at least the batch size " + maxBatchRecords);
            check(
                    !initialBackoff.isNegative()
                            && !initialBackoff.isZero()
                            && maxBackoff.compareTo(initialBackoff) >= 0,
                    "kinesis backoff must be positive with initial <= max, got " + initialBackoff + ".." + maxBackoff);
            check(maxAttempts >= 1, "kinesis max attempts must be at least 1");
            check(
                    aggregationBuckets >= 0 && aggregationBuckets <= KinesisAggregationBuckets.MAX_BUCKETS,
                    "kinesis aggregation buckets must be 1.." + KinesisAggregationBuckets.MAX_BUCKETS
                            + " (0: aggregation off), got " + aggregationBuckets);
            return new KinesisSinkSettings(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
