package io.tributary.harness.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Flink configuration of local runs: {@code flink-conf/config.yaml} of the repository. */
public final class LocalFlink {
    private LocalFlink() {}

    /** Loads {@code flink-conf/} from the working directory (the repository root), or fails saying where it looked. */
    public static Configuration load() {
        Path dir = Path.of(System.getProperty("tributary.flink-conf", "flink-conf"));
        if (!Files.isRegularFile(dir.resolve("config.yaml"))) {
            throw new IllegalStateException("no " + dir.toAbsolutePath().resolve("config.yaml")
                    + ": run from the repository root or set -Dtributary.flink-conf=DIR");
        }
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }
}
