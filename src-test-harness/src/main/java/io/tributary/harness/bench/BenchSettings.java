package io.tributary.harness.bench;

import io.tributary.harness.standin.PostgresStandIn;

import java.nio.file.Path;
import java.time.Duration;

/** The settings every benchmark of one run shares. */
record BenchSettings(
        PostgresStandIn pg, Path workDir, int parallelism, Duration checkpointInterval, Duration deadline) {}
