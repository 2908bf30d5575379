package io.tributary.job.config;

/** Where the job reads its property groups from; chosen on the command line, never guessed. */
public enum RunMode {
    /** Managed Service for Apache Flink: the application's runtime properties. */
    SERVICE,
    /** Any other cluster or a local run: a JSON file of property groups. */
    LOCAL
}
