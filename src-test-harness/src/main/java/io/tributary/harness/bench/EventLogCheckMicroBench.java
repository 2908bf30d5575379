package io.tributary.harness.bench;

import io.tributary.event.ChangeEvent;
import io.tributary.event.Column;
import io.tributary.event.ColumnType;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.event.ValueKind;
import io.tributary.s3.ParquetEventLogCheck;
import io.tributary.s3.ParquetEventLogWriterFactory;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The event log's per-event CPU in one thread, as chained in the job: {@link ParquetEventLogCheck}
 * in front of the Parquet writer, against the writer alone; the difference is what the check costs.
 * Events: 12 columns like the demo's orders, half inserts, half updates with an old image. Writes to
 * a discarding stream. Prints the median of the measured rounds (µs of this thread's CPU per event,
 * GC threads not included) and the spread.
 *
 * <p>{@code EventLogCheckMicroBench [events per round, default 200000] [rounds, default 12]}
 */
public final class EventLogCheckMicroBench {
    private static final TableSchema ORDERS = new TableSchema(
            new TableId("public", "orders"),
            List.of(
                    new Column("id", ColumnType.of(ValueKind.INT64, "int8"), false),
                    new Column("customer_id", ColumnType.of(ValueKind.INT64, "int8"), true),
                    new Column("status", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("amount", ColumnType.decimal(12, 2, "numeric"), true),
                    new Column("currency", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("qty", ColumnType.of(ValueKind.INT32, "int4"), true),
                    new Column("created_at", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true),
                    new Column("updated_at", ColumnType.of(ValueKind.TIMESTAMPTZ, "timestamptz"), true),
                    new Column("note", ColumnType.of(ValueKind.STRING, "text"), true),
                    new Column("weight", ColumnType.of(ValueKind.FLOAT64, "float8"), true),
                    new Column("ship_date", ColumnType.of(ValueKind.DATE, "date"), true),
                    new Column("priority", ColumnType.of(ValueKind.INT16, "int2"), true)),
            List.of("id"));

    /** CPU time of this thread, not wall time: the machine is shared, so wall time measures the neighbours. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private EventLogCheckMicroBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        List<ChangeEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(event(i, n / 2));
        }
        ParquetEventLogCheck check = new ParquetEventLogCheck(letter -> {
            throw new IllegalStateException("every benchmark event fits the log, got " + letter);
        });
        ParquetEventLogWriterFactory factory = new ParquetEventLogWriterFactory();
        double[] alone = new double[rounds];
        double[] checked = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            alone[r] = round(events, factory, null);
            checked[r] = round(events, factory, check);
        }
        int warm = rounds / 3; // the first third warms the JIT
        double[] a = Arrays.copyOfRange(alone, warm, rounds);
        double[] c = Arrays.copyOfRange(checked, warm, rounds);
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = c[i] - a[i];
        }
        System.out.println(line("writer alone", a));
        System.out.println(line("check + writer", c));
        System.out.println(line("check's share (difference)", d));
    }

    private static String line(String name, double[] us) {
        double[] s = us.clone();
        Arrays.sort(s);
        return String.format(
                Locale.ROOT,
                "%-28s median %.2f µs/event   min %.2f   max %.2f   (%d rounds)",
                name,
                s[s.length / 2],
                s[0],
                s[s.length - 1],
                s.length);
    }

    /** µs per event to pass every event through the check (if any) into one Parquet writer. */
    private static double round(
            List<ChangeEvent> events, ParquetEventLogWriterFactory factory, ParquetEventLogCheck check)
            throws Exception {
        BulkWriter<ChangeEvent> writer = factory.create(new Discarding());
        Collector<ChangeEvent> out = new Collector<>() {
            @Override
            public void collect(ChangeEvent e) {
                try {
                    writer.addElement(e);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }

            @Override
            public void close() {}
        };
        long t = THREADS.getCurrentThreadCpuTime();
        for (ChangeEvent e : events) {
            if (check == null) {
                out.collect(e);
            } else {
                check.processElement(e, null, out);
            }
        }
        writer.finish();
        return (THREADS.getCurrentThreadCpuTime() - t) / 1e3 / events.size();
    }

    private static ChangeEvent event(long i, long keys) {
        long id = i % keys;
        Row after = row(id, i);
        boolean insert = i < keys;
        return ChangeEvent.builder()
                .schema(ORDERS)
                .op(insert ? Op.INSERT : Op.UPDATE)
                .before(insert ? null : row(id, i - keys))
                .after(after)
                .commitLsn(1_000 + i)
                .changeLsn(1_000 + i)
                .txId(i)
                .commitTimeMicros(1_700_000_000_000_000L + i)
                .build();
    }

    private static Row row(long id, long v) {
        return Row.of(
                id,
                id % 997,
                v % 3 == 0 ? "shipped" : "new",
                new BigDecimal(v % 100_000).movePointLeft(2),
                "EUR",
                (int) (v % 50),
                Instant.ofEpochSecond(1_700_000_000L + id),
                Instant.ofEpochSecond(1_700_000_000L + v),
                "note " + v,
                (v % 1000) / 7.0,
                LocalDate.ofEpochDay(19_000 + v % 365),
                (short) (v % 5));
    }

    /** An output stream that counts and drops the bytes. */
    private static final class Discarding extends FSDataOutputStream {
        private long pos;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) {
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pos += len;
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public void close() {}
    }
}
