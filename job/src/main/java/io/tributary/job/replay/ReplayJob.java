package io.tributary.job.replay;

import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.JobConfigLoader;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.config.ServicePropertyGroups;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bounded replay's entry point, in the same jar as the streaming job: reads the Parquet event
 * log for some tables and a commit-time window and drives the streaming job's DynamoDB and Kinesis
 * sinks (whichever the configuration enables; never the event log), so their guarantees carry
 * over: DynamoDB writes are version-fenced, so replaying into a current read model changes nothing.
 *
 * <pre>
 * ReplayJob --mode local --config groups.json [--tables REGEX] [--from T] [--until T]
 *           [--on-bad-file skip|fail] [--path LOG] [--progress-interval "5 s"]
 * ReplayJob --mode service        (the same keys from the runtime property group "replay")
 * </pre>
 * The configuration is the streaming job's property-group file; the replay reads its sink groups
 * and an optional {@code replay} group ({@link ReplayOptions}); flags win over the group. With
 * {@code --until T} and fresh tables, the read model ends as of T.
 */
public final class ReplayJob {
    public static final String USAGE = "usage: ReplayJob --mode local --config <property-groups.json> | --mode service;"
            + " then any of --tables REGEX --from ISO-INSTANT --until ISO-INSTANT --on-bad-file skip|fail --path LOG"
            + " --progress-interval DURATION --journal";

    private ReplayJob() {}

    public static void main(String[] args) throws Exception {
        JobConfigLoader.CommandLine line = JobConfigLoader.commandLine(args, ServicePropertyGroups::read, USAGE);
        PropertyGroups groups = line.groups();
        // Validated as a local run's in either mode, as before: the replay never connects to the database, so the
        // service's rules for that connection (TLS by default, no plain password) do not apply to it.
        JobConfig config = JobConfig.of(groups);
        ReplaySettings settings = ReplayOptions.settings(
                ReplayOptions.merge(
                        groups.group(ReplayOptions.GROUP.id()), line.rest().toArray(new String[0])),
                config.eventLog().path());
        ReplayResult result = run(StreamExecutionEnvironment.getExecutionEnvironment(), config, settings, System.out);
        System.out.println(result);
    }

    /**
     * Plans, checks and runs a replay on {@code env}, printing the report and progress to
     * {@code out}; returns when the job has finished. Fails before anything is written if a file is
     * bad and {@code on-bad-file} is fail, or if neither DynamoDB nor Kinesis is enabled.
     */
    public static ReplayResult run(
            StreamExecutionEnvironment env, JobConfig config, ReplaySettings settings, PrintStream out)
            throws Exception {
        boolean journal = settings.journalOnly() || config.journalEnabled();
        boolean kinesis = !settings.journalOnly() && config.kinesisEnabled();
        boolean dynamoDb = !settings.journalOnly() && config.dynamoDbEnabled();
        if (!kinesis && !dynamoDb && !journal) {
            throw new ReplayException("nothing to replay into: enable sink.dynamodb, sink.kinesis and/or"
                    + " sink.dynamodb-journal in the configuration, or pass --journal (the replay never writes the"
                    + " event log)");
        }
        long start = System.nanoTime();
        out.println(settings);
        ReplayPlan plan = ReplayPlan.prepare(settings);
        plan.report().forEach(line -> out.println("replay report: " + line));
        if (!plan.badFiles().isEmpty() && settings.failOnBadFile()) {
            throw new ReplayException(plan.badFiles().size() + " bad file(s) in the range, nothing written"
                    + " (on-bad-file = fail). Move them out of the log, or replay with --on-bad-file skip: "
                    + plan.badFiles());
        }
        out.printf(
                "replay plan: %d files, %d events (before the time window)%n",
                plan.files().size(), plan.rows());
        if (plan.files().isEmpty()) {
            return new ReplayResult(0, 0, 0, plan.report(), seconds(start));
        }
        String runId = UUID.randomUUID().toString();
        try {
            ReplayTopology.build(
                    env,
                    plan.files(),
                    settings,
                    runId,
                    plan.lastTruncates(),
                    kinesis ? ProductionEndpoints.kinesisSink(config) : null,
                    dynamoDb ? ProductionEndpoints.dynamoDbSink(config) : null,
                    journal ? ProductionEndpoints.journalSink(config) : null);
            JobClient client = env.executeAsync(config.jobName() + " replay");
            JobExecutionResult result = await(client, plan, runId, settings, out, start);
            List<String> report = new ArrayList<>(plan.report());
            report.addAll(ReplayProgress.badFiles(runId));
            ReplayProgress.badFiles(runId).forEach(line -> out.println("replay report: " + line));
            return new ReplayResult(
                    plan.files().size(),
                    counter(result.getAllAccumulatorResults(), CommitTimeWindow.READ),
                    counter(result.getAllAccumulatorResults(), PositionSorter.EMITTED),
                    report,
                    seconds(start));
        } finally {
            ReplayProgress.forget(runId);
        }
    }

    private static JobExecutionResult await(
            JobClient client, ReplayPlan plan, String runId, ReplaySettings settings, PrintStream out, long start)
            throws Exception {
        long intervalMs = Math.max(100, settings.progressInterval().toMillis());
        long lastDone = 0;
        double lastAt = seconds(start);
        while (true) {
            try {
                return client.getJobExecutionResult().get(intervalMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Map<String, Object> acc;
                try {
                    acc = client.getAccumulators().get(intervalMs, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException unavailable) {
                    acc = Map.of();
                }
                long read = counter(acc, CommitTimeWindow.READ);
                long written = counter(acc, PositionSorter.EMITTED);
                double now = seconds(start);
                // rate of the phase under way: reading first, then (batch mode) sorting and writing
                long done = written > 0 ? written : read;
                double rate = now > lastAt ? (done - Math.min(done, lastDone)) / (now - lastAt) : 0;
                lastDone = done;
                lastAt = now;
                out.println(progressLine(plan, ReplayProgress.filesDone(runId), read, written, rate));
            }
        }
    }

    /**
     * One progress line. Accumulators arrive when a task reports them (in batch mode often when
     * the reading stage ends), so file counts move first; the ETA is for reading the files.
     */
    static String progressLine(ReplayPlan plan, long filesDone, long read, long written, double rate) {
        long left = Math.max(0, plan.rows() - read);
        String eta = written > 0 || left == 0 ? "0 s" : rate <= 0 ? "?" : String.format("%.0f s", left / rate);
        String writing = written > 0 ? String.format(", %d sent to the sinks", written) : "";
        return String.format(
                "replay progress: files %d/%d, events read %d/%d (%.0f%%)%s, %.0f events/s, ETA %s",
                filesDone,
                plan.files().size(),
                read,
                plan.rows(),
                100.0 * read / Math.max(1, plan.rows()),
                writing,
                rate,
                eta);
    }

    private static long counter(Map<String, Object> accumulators, String name) {
        Object v = accumulators.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0L;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
