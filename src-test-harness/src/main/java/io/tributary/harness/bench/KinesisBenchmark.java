package io.tributary.harness.bench;

import io.tributary.harness.PipelineRun;
import io.tributary.harness.demo.DemoTable;
import io.tributary.harness.demo.TrafficGenerator;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.job.Endpoints;
import io.tributary.job.ProductionEndpoints;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The Kinesis figures: catch-up records/s into kinesalite end to end from the database, next to
 * the same job with a {@link DiscardingSink} in the Kinesis sink's place; and the latency from a
 * row's commit to its record on the stream at a steady rate.
 */
final class KinesisBenchmark {
    static final int SHARDS = 4;
    static final int PER_TXN = 100;
    static final long LATENCY_SECONDS = 30;
    static final long WARM_UP_SECONDS = 5;
    static final String ACKNOWLEDGED = "catch-up into kinesalite (acknowledged)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KinesisBenchmark() {}

    static List<Object> run(BenchSettings settings, long changes, int rate) throws Exception {
        List<Object> figures = new ArrayList<>();
        try (KinesisStandIn kinesis = KinesisStandIn.start()) {
            figures.add(KinesisEmulatorCeiling.measure(kinesis, changes, settings.parallelism(), settings.deadline()));
            figures.add(throughput(settings, kinesis, changes, true));
            figures.add(throughput(settings, kinesis, changes, false));
            BenchRatio.of(
                            figures,
                            "catch-up into kinesalite / emulator ceiling",
                            ACKNOWLEDGED,
                            KinesisEmulatorCeiling.NAME,
                            "x emulator ceiling",
                            "the job's changes/s into kinesalite over"
                                    + " records/s put straight into it in the same run; near 1: the emulator limits")
                    .ifPresent(figures::add);
            figures.add(throughput(settings, kinesis, changes, false, true));
            figures.addAll(latency(settings, kinesis, rate));
        }
        return figures;
    }

    private static BenchJob kinesisJob(BenchSettings settings, KinesisStandIn kinesis, String name) throws Exception {
        String stream = "bench-" + name + "-" + System.nanoTime();
        kinesis.createStream(stream, SHARDS);
        return BenchJob.create(settings, name, EventLogBenchmarks.ORDERS, false)
                .withoutEventLog()
                .set("sink.kinesis", "enabled", "true")
                .set("sink.kinesis", "stream.name", stream)
                .set("sink.kinesis", "endpoint", kinesis.endpoint())
                .set("sink.kinesis", "emulator", "true")
                .set("sink.kinesis", "region", KinesisStandIn.REGION);
    }

    private static CeilingFigure throughput(
            BenchSettings settings, KinesisStandIn kinesis, long changes, boolean discard) throws Exception {
        return throughput(settings, kinesis, changes, discard, false);
    }

    /** {@code aggregated}: the sink in the KPL aggregation format (default 256 buckets). */
    private static CeilingFigure throughput(
            BenchSettings settings, KinesisStandIn kinesis, long changes, boolean discard, boolean aggregated)
            throws Exception {
        BenchJob job = kinesisJob(settings, kinesis, discard ? "kdiscard" : aggregated ? "kaggregated" : "kinesis");
        if (aggregated) {
            job.set("sink.kinesis", "aggregation.enabled", "true");
        }
        Callable<Endpoints> endpoints = () -> {
            Endpoints production = ProductionEndpoints.create(job.config());
            return discard
                    ? Endpoints.builder(production.source())
                            .kinesis(new DiscardingSink())
                            .build()
                    : production;
        };
        try {
            String savepoint = job.backlog(changes, PER_TXN, endpoints);
            long start = System.nanoTime();
            try (PipelineRun run = job.restore(endpoints.call(), savepoint)) {
                BenchPoll.Progress p = BenchPoll.await(
                        start,
                        job.deadline,
                        () -> BenchJob.assertAlive(run),
                        discard ? DiscardingSink::received : () -> BenchMetrics.sum("numRecordsSend"),
                        changes);
                return EventLogBenchmarks.rate(
                        discard
                                ? "catch-up, discarding sink (no Kinesis)"
                                : aggregated ? "catch-up into kinesalite, KPL-aggregated" : ACKNOWLEDGED,
                        p.value(),
                        "changes",
                        p.activeSeconds(),
                        String.format(
                                "p=%d, %d rows/txn, %d shards, event log off%s",
                                job.parallelism, PER_TXN, SHARDS, p.shortfall()));
            }
        } finally {
            job.drop();
        }
    }

    /** Steady traffic for {@value #LATENCY_SECONDS} s; latency of records committed after the warm-up. */
    private static List<Object> latency(BenchSettings settings, KinesisStandIn kinesis, int rate) throws Exception {
        BenchJob job = kinesisJob(settings, kinesis, "klatency");
        String stream = job.groups.get("sink.kinesis").get("stream.name");
        List<Long> byArrival = new ArrayList<>();
        List<Long> byReader = new ArrayList<>();
        try (PipelineRun run = job.start(ProductionEndpoints.create(job.config()));
                TrafficGenerator traffic = TrafficGenerator.builder(job::connect)
                        .changesPerSecond(rate)
                        .tables(DemoTable.ORDERS)
                        .maxChanges(rate * LATENCY_SECONDS)
                        .build()) {
            job.awaitSlotActive(run);
            KinesisTail tail = new KinesisTail(kinesis.client(), stream);
            long started = System.currentTimeMillis();
            traffic.start();
            long seen = 0;
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() - quietSince < 5_000
                    && System.currentTimeMillis() - started < job.deadline.toMillis()) {
                List<KinesisTail.TailRecord> records = tail.poll();
                long now = System.currentTimeMillis();
                if (!records.isEmpty() || traffic.isRunning()) {
                    quietSince = now;
                }
                for (KinesisTail.TailRecord r : records) {
                    seen++;
                    long commit = Instant.parse(
                                    JSON.readTree(r.data).get("commitTs").asText())
                            .toEpochMilli();
                    if (commit >= started + WARM_UP_SECONDS * 1000) {
                        byArrival.add(r.arrival.toEpochMilli() - commit);
                        byReader.add(now - commit);
                    }
                }
                Thread.sleep(20);
            }
            BenchJob.assertAlive(run);
            double achieved = traffic.counts().total() / ((System.currentTimeMillis() - started - 5_000) / 1000.0);
            String cond = String.format(
                    "target %,d changes/s, achieved ~%,.0f/s over %d s (1 row/txn, TrafficGenerator"
                            + " on orders), %d of %,d committed changes on the stream, first %d s skipped",
                    rate, achieved, LATENCY_SECONDS, seen, traffic.counts().total(), WARM_UP_SECONDS);
            return List.of(
                    new LatencyFigure("commit -> on stream (kinesalite arrival ts)", byArrival, 0, cond),
                    new LatencyFigure("commit -> read by a tail polling every 20 ms", byReader, 0, cond));
        } finally {
            job.drop();
        }
    }
}
