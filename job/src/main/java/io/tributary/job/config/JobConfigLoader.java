package io.tributary.job.config;

import java.nio.file.Path;
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
 * In service mode a plain {@code password} is refused; see {@link DatabasePassword}.
 */
public final class JobConfigLoader {
    public static final String USAGE =
            "usage: TributaryJob --mode service | --mode local --config <property-groups.json>"
                    + " (no arguments = --mode service, as Managed Service for Apache Flink starts the job)";

    private JobConfigLoader() {}

    /** The mode the arguments ask for; fails with usage on anything else. */
    public static RunMode mode(String[] args) {
        if (args.length == 0) {
            return RunMode.SERVICE;
        }
        if (args.length >= 2 && args[0].equals("--mode")) {
            if (args[1].equals("service") && args.length == 2) {
                return RunMode.SERVICE;
            }
            if (args[1].equals("local") && args.length == 4 && args[2].equals("--config")) {
                return RunMode.LOCAL;
            }
        }
        throw new ConfigException(USAGE);
    }

    /** Loads the configuration the arguments name. */
    public static JobConfig load(String[] args) {
        return load(args, ServicePropertyGroups::read);
    }

    /** As {@link #load(String[])}, with the service's property groups supplied (tests pass a fixture). */
    public static JobConfig load(String[] args, Supplier<PropertyGroups> serviceGroups) {
        RunMode mode = mode(args);
        PropertyGroups groups = mode == RunMode.SERVICE ? serviceGroups.get() : PropertyGroups.fromFile(Path.of(args[3]));
        JobConfig config = JobConfig.of(groups, mode);
        DatabasePassword.check(config.source(), mode);
        return config;
    }
}
