package io.tributary.harness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The machine a run measured: cores, memory, CPU model, JDK. */
final class BenchMachine {
    private BenchMachine() {}

    static String describe() {
        return String.format(
                "Machine: %d cores (nproc), %s memory, CPU %s, JDK %s (%s), max heap %d MiB",
                Runtime.getRuntime().availableProcessors(),
                line("/proc/meminfo", "MemTotal:")
                        .map(l -> l.replaceAll("\\s+", " ").trim())
                        .orElse("?"),
                line("/proc/cpuinfo", "model name")
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .orElse("?"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static Optional<String> line(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(prefix))
                    .map(l -> l.startsWith("MemTotal:") ? l.substring(9) : l)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
