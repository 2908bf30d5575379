package io.tributary.job.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns the job's command line into a validated {@link JobConfig}. The mode is explicit:
 * <ul>
 *   <li>{@code --mode service}: the runtime properties of a Managed Service for Apache Flink
 *       application. No arguments at all means the same, because the service starts a Java
 *       application's main class without program arguments.
 *   <li>{@code --mode local --config FILE.json}: a file of the same property groups
 *       ({@code [{"PropertyGroupId": …, "PropertyMap": {…}}]}), for self-managed clusters and local runs.
 * </ul>
 * In service mode a plain {@code password} is refused; see {@link DatabasePassword}. Other entry points (the
 * replay) take the same leading arguments and their own flags after them ({@link #commandLine}).
 */
public final class JobConfigLoader {
    public static final String USAGE =
            "usage: TributaryJob --mode service | --mode local --config <property-groups.json>"
                    + " (no arguments = --mode service, as Managed Service for Apache Flink starts the job)";

    private JobConfigLoader() {}

    /** The mode the arguments ask for; fails with usage on anything else. */
    public static RunMode mode(String[] args) {
        return jobCommandLine(args, ServicePropertyGroups::read).mode();
    }

    /** Loads the configuration the arguments name. */
    public static JobConfig load(String[] args) {
        return load(args, ServicePropertyGroups::read);
    }

    /** As {@link #load(String[])}, with the service's property groups supplied (tests pass a fixture). */
    public static JobConfig load(String[] args, Supplier<PropertyGroups> serviceGroups) {
        CommandLine line = jobCommandLine(args, serviceGroups);
        return JobConfig.of(line.groups(), line.mode());
    }

    /** The streaming job takes nothing after the mode and file. */
    private static CommandLine jobCommandLine(String[] args, Supplier<PropertyGroups> serviceGroups) {
        CommandLine line = commandLine(args, serviceGroups, USAGE);
        if (!line.rest().isEmpty()) {
            throw new ConfigException(USAGE);
        }
        return line;
    }

    /**
     * Splits {@code --mode service} (or nothing) and {@code --mode local --config FILE} off the front of
     * {@code args}; the property groups are read when {@link CommandLine#groups()} is called. Fails with
     * {@code usage} when the arguments start with neither.
     */
    public static CommandLine commandLine(String[] args, Supplier<PropertyGroups> serviceGroups, String usage) {
        List<String> all = Arrays.asList(args);
        if (all.isEmpty()) {
            return new CommandLine(RunMode.SERVICE, serviceGroups, List.of());
        }
        if (all.size() >= 2 && all.get(0).equals("--mode")) {
            if (all.get(1).equals("service")) {
                return new CommandLine(RunMode.SERVICE, serviceGroups, all.subList(2, all.size()));
            }
            if (all.get(1).equals("local") && all.size() >= 4 && all.get(2).equals("--config")) {
                Path file = Path.of(all.get(3));
                return new CommandLine(RunMode.LOCAL, () -> PropertyGroups.fromFile(file), all.subList(4, all.size()));
            }
        }
        throw new ConfigException(usage);
    }

    /** Where an entry point's property groups come from, and the arguments after that. */
    public static final class CommandLine {
        private final RunMode mode;
        private final Supplier<PropertyGroups> groups;
        private final List<String> rest;

        private CommandLine(RunMode mode, Supplier<PropertyGroups> groups, List<String> rest) {
            this.mode = mode;
            this.groups = groups;
            this.rest = List.copyOf(rest);
        }

        public RunMode mode() {
            return mode;
        }

        /** Reads the property groups (the service's runtime properties, or the file). */
        public PropertyGroups groups() {
            return groups.get();
        }

        /** The arguments after the mode (and file). */
        public List<String> rest() {
            return rest;
        }
    }
}
