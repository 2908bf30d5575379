package io.tributary.harness.bench;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.kinesis.ChangeEventJsonSerializer;
import io.tributary.kinesis.KinesisPartitionKeys;
import io.tributary.kinesis.KinesisRecordFormat;
import io.tributary.kinesis.KinesisSdkClientProvider;
import io.tributary.kinesis.KinesisSinkSettings;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulator's own ceiling (issue 12 item 3): the same number of records of the same size as the job's
 * catch-up, put straight into kinesalite with no job, so the catch-up figure says which side limits.
 * Same client as the sink ({@link KinesisSdkClientProvider}, emulator settings), PutRecords of
 * {@value KinesisSinkSettings#MAX_RECORDS_PER_REQUEST}, and as many requests in flight as the sink's writers
 * together may have (the sink's default per writer × the job's parallelism). The record is one orders
 * insert (full new image; the job's 40/40/20 mix also has deletes with only the key, so its mean record is
 * somewhat smaller). Entries the emulator rejects
 * are put again, as the sink does, and counted.
 */
final class KinesisEmulatorCeiling {
    static final String NAME = "kinesis emulator ceiling (PutRecords, no job)";
    private static final int MAX_ATTEMPTS = 20;

    private KinesisEmulatorCeiling() {}

    static CeilingFigure measure(KinesisStandIn kinesis, long records, int parallelism, Duration deadline)
            throws Exception {
        String stream = "bench-ceiling-" + System.nanoTime();
        kinesis.createStream(stream, KinesisBenchmark.SHARDS);
        KinesisSinkSettings settings =
                KinesisStandIn.settingsFor(kinesis.endpoint(), stream).build();
        int inFlight = settings.maxInFlightRequests() * parallelism;
        int batch = KinesisSinkSettings.MAX_RECORDS_PER_REQUEST;
        SdkBytes data = SdkBytes.fromByteArrayUnsafe(
                new ChangeEventJsonSerializer(KinesisRecordFormat.DEFAULT).serialize(ordersInsert(1_000_001L)));
        AtomicLong retried = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Semaphore permits = new Semaphore(inFlight);
        try (KinesisAsyncClient client = KinesisSdkClientProvider.build(settings, inFlight * 2)) {
            long start = System.nanoTime();
            for (long first = 0; first < records && failure.get() == null; first += batch) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>(batch);
                for (long i = first; i < Math.min(records, first + batch); i++) {
                    entries.add(PutRecordsRequestEntry.builder()
                            .data(data)
                            .partitionKey(KinesisPartitionKeys.of("public.orders/" + (i + 1)))
                            .build());
                }
                if (!permits.tryAcquire(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("no PutRecords answer within " + deadline + "; is kinesalite up?");
                }
                put(client, stream, entries, 1, retried).whenComplete((ok, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    permits.release();
                });
            }
            if (!permits.tryAcquire(inFlight, deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("PutRecords still in flight after " + deadline);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (failure.get() != null) {
                throw new IllegalStateException("putting records straight into kinesalite failed", failure.get());
            }
            return new CeilingFigure(
                    NAME,
                    records,
                    "records",
                    elapsed,
                    String.format(
                            Locale.ROOT,
                            "%,d B JSON per record (an orders insert, the sink's serializer), one key per record over %d"
                                    + " shards, PutRecords of %d, %d in flight (sink default %d per writer x p=%d),"
                                    + " the sink's SDK v2 async client, %,d entries put again",
                            data.asByteArrayUnsafe().length,
                            KinesisBenchmark.SHARDS,
                            batch,
                            inFlight,
                            settings.maxInFlightRequests(),
                            parallelism,
                            retried.get()));
        }
    }

    /** Puts {@code entries}; entries the emulator rejected are put again (up to {@value #MAX_ATTEMPTS} times). */
    private static CompletableFuture<Void> put(
            KinesisAsyncClient client,
            String stream,
            List<PutRecordsRequestEntry> entries,
            int attempt,
            AtomicLong retried) {
        return client.putRecords(r -> r.streamName(stream).records(entries)).thenCompose(response -> {
            List<PutRecordsRequestEntry> failed = rejected(entries, response);
            if (failed.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException(failed.size() + " entries still rejected after " + attempt
                        + " attempts: " + response.records().get(0).errorMessage());
            }
            retried.addAndGet(failed.size());
            return put(client, stream, failed, attempt + 1, retried);
        });
    }

    private static List<PutRecordsRequestEntry> rejected(
            List<PutRecordsRequestEntry> entries, PutRecordsResponse response) {
        List<PutRecordsRequestEntry> failed = new ArrayList<>();
        if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
            return failed;
        }
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).errorCode() != null) {
                failed.add(entries.get(i));
            }
        }
        return failed;
    }

    /** An insert into the demo's orders table (12 columns, every one set), as the sink would serialize it. */
    static ChangeEvent ordersInsert(long id) {
        TableSchema orders = new TableSchema(
                new TableId("public", "orders"),
                List.of(
                        new Column("id", ColumnType.of(ValueKind.INT64, "int8"), false),
                        new Column("customer_id", ColumnType.of(ValueKind.INT64, "int8"), false),
                        new Column("status", ColumnType.of(ValueKind.STRING, "text"), false),
                        new Column("total", ColumnType.decimal(12, 2, "numeric"), false),
                        new Column("exchange_rate", ColumnType.of(ValueKind.STRING, "numeric"), true),
                        new Column("placed_at", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), false),
                        new Column("placed_local", ColumnType.of(ValueKind.TIMESTAMP, "timestamp"), true),
                        new Column("ship_by", ColumnType.of(ValueKind.DATE, "date"), true),
                        new Column("priority", ColumnType.of(ValueKind.INT16, "int2"), true),
                        new Column("is_gift", ColumnType.of(ValueKind.BOOLEAN, "bool"), true),
                        new Column(
                                "line_counts",
                                ColumnType.arrayOf(ColumnType.of(ValueKind.INT32, "int4"), "_int4"),
                                true),
                        new Column("metadata", ColumnType.of(ValueKind.JSON, "jsonb"), true)),
                List.of("id"));
        Row row = Row.of(
                id,
                48_213L,
                "shipped",
                new BigDecimal("1234.56"),
                "1.23456789",
                Instant.parse("2026-11-23T18:47:12.123456Z"),
                LocalDateTime.parse("2026-11-23T19:47:12.123456"),
                LocalDate.parse("2026-11-30"),
                (short) 3,
                false,
                List.of(1, 2, 3),
                "{\"channel\": \"web\", \"coupon\": \"WINTER\", \"items\": 3}");
        return ChangeEvent.builder()
                .schema(orders)
                .op(Op.INSERT)
                .after(row)
                .commitLsn(0x16B3748L)
                .changeLsn(0x16B3748L)
                .txId(771_234L)
                .commitTimeMicros(1_795_459_632_123_456L)
                .build();
    }
}
