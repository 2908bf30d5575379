package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Property group {@code sink.kinesis}: the unified JSON change stream. */
public final class KinesisOptions {
    public static final OptionGroup GROUP =
            new OptionGroup("sink.kinesis", "One JSON record per change of every captured table, in order per row.");

    /** How an unset {@code region} is found; shared with {@link DynamoDbOptions#REGION}. */
    static final String RUNTIME_REGION = "Unset: the region the job runs in (AWS_REGION, which Managed Service for"
            + " Apache Flink sets; else the aws.region system property, the AWS profile, instance metadata); no region"
            + " found stops the job at start-up. Set it for a stream in another region, and for local emulators.";

    public static final ConfigOption<Boolean> ENABLED = GROUP.add(ConfigOptions.key("enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Write the Kinesis change stream."));
    public static final ConfigOption<String> STREAM = GROUP.add(ConfigOptions.key("stream.name")
            .stringType()
            .noDefaultValue()
            .withDescription("Kinesis stream name. Required when enabled."));
    public static final ConfigOption<String> REGION = GROUP.add(ConfigOptions.key("region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the stream. " + RUNTIME_REGION));
    public static final ConfigOption<String> ENDPOINT = GROUP.add(ConfigOptions.key("endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint override (VPC endpoint, local emulator)."));
    public static final ConfigOption<Boolean> EMULATOR = GROUP.add(ConfigOptions.key("emulator")
            .booleanType()
            .defaultValue(false)
            .withDescription("Local emulator (kinesalite): HTTP/1.1, no CBOR, dummy credentials. Never on AWS."));
    public static final ConfigOption<String> FORMAT = GROUP.add(ConfigOptions.key("format")
            .stringType()
            .defaultValue("default")
            .withDescription("Record format: 'default' (docs/formats/kinesis-record.schema.json) or 'dms' (AWS DMS)."));
    public static final ConfigOption<Integer> MAX_IN_FLIGHT = GROUP.add(ConfigOptions.key("max-in-flight-requests")
            .intType()
            .defaultValue(8)
            .withDescription("PutRecords requests in flight per writer."));
    public static final ConfigOption<Integer> MAX_BUFFERED = GROUP.add(ConfigOptions.key("max-buffered-records")
            .intType()
            .defaultValue(20_000)
            .withDescription("Records buffered per writer before back-pressure."));
    public static final ConfigOption<Boolean> AGGREGATION = GROUP.add(ConfigOptions.key("aggregation.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Put records in the KPL aggregation format, many changes per Kinesis record (either"
                    + " JSON format inside). Only KCL 1.x/2.x consumers and the Kinesis de-aggregation libraries"
                    + " read it; plain GetRecords consumers see binary records (docs/formats/README.md)."));
    public static final ConfigOption<Integer> AGGREGATION_BUCKETS = GROUP.add(ConfigOptions.key("aggregation.buckets")
            .intType()
            .defaultValue(256)
            .withDescription("Hash-key buckets the aggregation groups rows by; each bucket is put under one hash"
                    + " key, so at most this many shards receive records. Keep it at least the shard count (a"
                    + " multiple of it keeps each row on the shard the plain format uses); change it only with a"
                    + " drained stream. 1..65536."));
    public static final ConfigOption<Duration> MAX_BACKOFF = GROUP.add(ConfigOptions.key("max-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Longest wait between retries."));

    private KinesisOptions() {}
}
