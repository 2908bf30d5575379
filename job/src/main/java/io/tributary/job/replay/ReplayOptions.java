package io.tributary.job.replay;

import io.tributary.job.config.ConfigException;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.OptionGroup;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Property group {@code replay}, read only by {@link ReplayJob}: which part of the event log to
 * replay. The same keys may be given on the command line ({@code --tables R --from T --until T
 * --on-bad-file skip|fail --path P --progress-interval D --journal}), which win over the group. The group
 * lives in the streaming job's file too, which accepts and ignores it ({@code JobConfig.REPLAY_GROUP}); it is
 * listed in the generated configuration reference.
 */
public final class ReplayOptions {
    public static final OptionGroup GROUP = new OptionGroup(
            JobConfig.REPLAY_GROUP,
            "The bounded replay of the event log into DynamoDB and Kinesis (io.tributary.job.replay.ReplayJob, same"
                    + " jar, same file: `--mode local --config FILE.json` or `--mode service`). Read only by the replay;"
                    + " the streaming job ignores this group. A flag on the replay's command line wins over its key.");

    public static final ConfigOption<String> TABLES = GROUP.add(ConfigOptions.key("tables")
            .stringType()
            .defaultValue(".*")
            .withDescription("Regular expression that a table's schema.table name must fully match. Flag: --tables."));
    public static final ConfigOption<String> FROM = GROUP.add(ConfigOptions.key("from")
            .stringType()
            .noDefaultValue()
            .withDescription("Replay events committed at or after this instant (ISO-8601, e.g. 2026-11-23T10:00:00Z)."
                    + " Unset: from the start of the log. Only useful into a read model that already holds the"
                    + " earlier history. Flag: --from."));
    public static final ConfigOption<String> UNTIL = GROUP.add(ConfigOptions.key("until")
            .stringType()
            .noDefaultValue()
            .withDescription("Replay events committed at or before this instant (ISO-8601): a fresh read model then"
                    + " holds every row as of that time. Unset: the whole log. Flag: --until."));
    public static final ConfigOption<String> ON_BAD_FILE = GROUP.add(ConfigOptions.key("on-bad-file")
            .stringType()
            .defaultValue("fail")
            .withDescription("fail: stop before writing anything when a file is corrupt or foreign;"
                    + " skip: report the file and replay the rest. Flag: --on-bad-file."));
    public static final ConfigOption<String> PATH = GROUP.add(ConfigOptions.key("path")
            .stringType()
            .noDefaultValue()
            .withDescription("The event log to read. Unset: sink.eventlog's path. Flag: --path."));
    public static final ConfigOption<Duration> PROGRESS_INTERVAL = GROUP.add(ConfigOptions.key("progress.interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How often the entry point prints progress. Flag: --progress-interval."));

    public static final ConfigOption<Boolean> JOURNAL_ONLY = GROUP.add(ConfigOptions.key("journal-only")
            .booleanType()
            .defaultValue(false)
            .withDescription("Replay into the DynamoDB event journal only (the table of sink.dynamodb-journal, enabled"
                    + " there or not), leaving the read model and the stream alone: builds a journal for history from"
                    + " before it was turned on. Flag: --journal. Without it, the journal is written when enabled."));

    private static final Map<String, String> FLAGS = Map.of(
            "--tables",
            "tables",
            "--from",
            "from",
            "--until",
            "until",
            "--on-bad-file",
            "on-bad-file",
            "--path",
            "path",
            "--progress-interval",
            "progress.interval");

    private ReplayOptions() {}

    /** Overlays command-line flags on the group's raw values; unknown flags fail. */
    static Map<String, String> merge(Map<String, String> group, String[] flags) {
        Map<String, String> merged = new LinkedHashMap<>(group);
        for (int i = 0; i < flags.length; i += 2) {
            if (flags[i].equals("--journal")) {
                merged.put(JOURNAL_ONLY.key(), "true");
                i--; // a switch, no value
                continue;
            }
            String key = FLAGS.get(flags[i]);
            if (key == null || i + 1 >= flags.length) {
                throw new ConfigException(
                        "replay: unknown or incomplete option '" + flags[i] + "'. " + ReplayJob.USAGE);
            }
            merged.put(key, flags[i + 1]);
        }
        return merged;
    }

    /** The typed settings; {@code defaultPath} is the event log's path from sink.eventlog. */
    static ReplaySettings settings(Map<String, String> raw, String defaultPath) {
        Configuration c = GROUP.validate(raw);
        String path = c.get(PATH) != null ? c.get(PATH) : defaultPath;
        if (path == null) {
            throw new ConfigException("replay: no event log to read: set 'path' in group 'replay' (or --path), or"
                    + " sink.eventlog's 'path'");
        }
        String onBad = c.get(ON_BAD_FILE);
        if (!onBad.equals("skip") && !onBad.equals("fail")) {
            throw new ConfigException("replay: 'on-bad-file' = '" + onBad + "': use 'skip' or 'fail'");
        }
        Pattern tables;
        try {
            tables = Pattern.compile(c.get(TABLES));
        } catch (PatternSyntaxException e) {
            throw new ConfigException("replay: 'tables' is not a regular expression: " + e.getMessage(), e);
        }
        return ReplaySettings.builder()
                .logPath(path)
                .tables(tables)
                .from(instant(c.get(FROM), "from"))
                .until(instant(c.get(UNTIL), "until"))
                .failOnBadFile(onBad.equals("fail"))
                .progressInterval(c.get(PROGRESS_INTERVAL))
                .journalOnly(c.get(JOURNAL_ONLY))
                .build();
    }

    private static Instant instant(String text, String key) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ConfigException(
                    "replay: '" + key + "' = '" + text + "' is not an ISO-8601 instant such as"
                            + " 2026-11-23T10:15:30Z",
                    e);
        }
    }
}
