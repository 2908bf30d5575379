package io.tributary.harness.bench;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What carrying a snapshot row's chunk position in a copy of the record cost per row: the thread CPU
 * of {@code PostgresChunkPositionEmitter.withOffsets} (copy of the offset map, new SourceRecord) on a
 * snapshot record shaped like Flink CDC's (offset with lsn, txId, ts_usec): what handing the position
 * to the deserializer directly would save per row. Measured at about 50 ns (BENCHMARKS.md), against
 * roughly 140 µs of CPU per snapshot row, so the copy was kept.
 *
 * <p>{@code ChunkPositionMicroBench [rows per round, default 1000000] [rounds, default 12]}
 */
public final class ChunkPositionMicroBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ChunkPositionMicroBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Method withOffsets = Class.forName("io.tributary.postgres.PostgresChunkPositionEmitter")
                .getDeclaredMethod("withOffsets", SourceRecord.class, long.class, Long.class);
        withOffsets.setAccessible(true);
        Schema value = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("note", Schema.STRING_SCHEMA)
                .build();
        Map<String, Object> offset = new HashMap<>();
        offset.put("lsn", 0L);
        offset.put("txId", 1234L);
        offset.put("ts_usec", 1_700_000_000_000_000L);
        SourceRecord record = new SourceRecord(
                Map.of("server", "postgres_cdc_source"),
                offset,
                "orders",
                null,
                null,
                null,
                value,
                new Struct(value).put("id", 1L).put("note", "x"));
        double[] ns = new double[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long t = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += ((SourceRecord) withOffsets.invoke(null, record, (long) i, null))
                        .sourceOffset()
                        .size();
            }
            ns[r] = (THREADS.getCurrentThreadCpuTime() - t) / (double) n;
        }
        double[] measured = Arrays.copyOfRange(ns, rounds / 3, rounds);
        Arrays.sort(measured);
        System.out.printf(
                Locale.ROOT,
                "withOffsets per snapshot row: median %.0f ns   min %.0f   max %.0f   (%d rounds, thread CPU, incl."
                        + " a reflective call)  [%d]%n",
                measured[measured.length / 2],
                measured[0],
                measured[measured.length - 1],
                measured.length,
                sink % 10);
    }
}
