package io.tributary.e2e;

import io.tributary.harness.Deadline;
import io.tributary.harness.cli.LocalRunner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A command of {@code ./tributary} (or a Flink cluster process) as a child JVM, as a user runs it: same main class, a configuration
 * file, a {@code flink-conf/} directory (checkpoint and savepoint roots, RocksDB, restart strategy
 * of the test), its output in a file. {@link #kill()} is a SIGKILL.
 */
final class LocalRunnerProcess implements AutoCloseable {
    private static final List<String> OPENS = List.of(
            "java.lang",
            "java.util",
            "java.lang.reflect",
            "java.io",
            "java.nio",
            "sun.nio.ch",
            "java.net",
            "java.text",
            "java.time",
            "java.math",
            "java.util.concurrent",
            "java.util.concurrent.atomic",
            "java.lang.invoke");
    private final Process process;
    private final Path output;
    private final String name;

    private LocalRunnerProcess(Process process, Path output, String name) {
        this.process = process;
        this.output = output;
        this.name = name;
    }

    /** Writes {@code groups} as an MSF-style property-group file. */
    static Path writeConfig(Path file, Map<String, Map<String, String>> groups) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode root = json.createArrayNode();
        groups.forEach((id, map) -> {
            ObjectNode group = root.addObject();
            group.put("PropertyGroupId", id);
            ObjectNode props = group.putObject("PropertyMap");
            map.forEach(props::put);
        });
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return file;
    }

    /** A {@code flink-conf/config.yaml} like the repository's, with the test's roots and restart attempts. */
    static Path writeFlinkConf(Path dir, Path stateRoot, int restartAttempts) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.yaml"),
                String.join(
                        "\n",
                        "execution.checkpointing.mode: EXACTLY_ONCE",
                        "execution.checkpointing.interval: 500 ms",
                        "execution.checkpointing.min-pause: 100 ms",
                        "execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION",
                        "execution.checkpointing.dir: "
                                + stateRoot.resolve("checkpoints").toUri(),
                        "execution.checkpointing.savepoint-dir: "
                                + stateRoot.resolve("savepoints").toUri(),
                        "state.backend.type: rocksdb",
                        "state.backend.incremental: true",
                        "restart-strategy.type: fixed-delay",
                        "restart-strategy.fixed-delay.attempts: " + restartAttempts,
                        "restart-strategy.fixed-delay.delay: 200 ms",
                        "parallelism.default: 2",
                        "taskmanager.numberOfTaskSlots: 2",
                        "taskmanager.memory.managed.size: 128m",
                        "taskmanager.memory.network.max: 128m",
                        "rest.port: 0",
                        ""));
        return dir;
    }

    /** Starts {@code LocalRunner} with {@code args}, its output going to {@code output}. */
    static LocalRunnerProcess start(Path flinkConf, Path output, String... args) throws IOException {
        return start(LocalRunner.class, flinkConf, output, args);
    }

    /** Starts {@code main} (a command of {@code ./tributary}) as the script does, its output going to {@code output}. */
    static LocalRunnerProcess start(Class<?> main, Path flinkConf, Path output, String... args) throws IOException {
        return start(main, flinkConf, output, List.of(), args);
    }

    /** As {@link #start(Class, Path, Path, String...)}, with more JVM options (e.g. {@code -Djava.io.tmpdir=…}). */
    static LocalRunnerProcess start(Class<?> main, Path flinkConf, Path output, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        for (String pkg : OPENS) {
            command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
        }
        command.add("--add-opens=java.sql/java.sql=ALL-UNNAMED");
        command.add("-Daws.cborEnabled=false");
        command.add("-Dtributary.flink-conf=" + flinkConf);
        command.addAll(jvmOptions);
        // Where the stand-ins' runtimes are, as the script passes them.
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("tributary.") && !k.equals("tributary.flink-conf"))
                .sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        return new LocalRunnerProcess(process, output, main.getSimpleName());
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e.getMessage() + ")";
        }
    }

    /** Waits until the runner printed {@code text}; fails with its output if it exits first. */
    void awaitOutput(String text, Duration timeout) throws Exception {
        Deadline.of(timeout).await(() -> "'" + text + "' from " + name + "; its output:\n" + output(), () -> {
            if (!process.isAlive() && !output().contains(text)) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            return output().contains(text);
        });
    }

    /** Waits for the runner to exit by itself and returns its status. */
    int awaitExit(Duration timeout) throws Exception {
        Deadline.of(timeout).await(() -> name + " to exit; its output:\n" + output(), () -> !process.isAlive());
        return process.exitValue();
    }

    void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + output());
        }
    }

    /** SIGTERM, as Ctrl-C: the runner stops the job with a savepoint. */
    void stop() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no savepoint, as a crash or an OOM kill. */
    void kill() throws InterruptedException {
        // A SIGKILL runs no shutdown hook: the stand-ins a command started would outlive it.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
