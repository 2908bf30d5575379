package io.tributary.harness.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a local run of one configuration keeps its retained checkpoints and savepoints, and which
 * of them a restarted run resumes from. The directories are named after a hash of the
 * configuration file's absolute path, so the same command finds its own state after a crash and
 * two configurations never resume from each other's (editing the file keeps its state, as
 * restoring a changed application on MSF does).
 */
public final class LocalCheckpoints {
    private static final String METADATA = "_metadata";
    private final String id;
    private final Path checkpoints;
    private final Path savepoints;

    private LocalCheckpoints(String id, Path checkpoints, Path savepoints) {
        this.id = id;
        this.checkpoints = checkpoints;
        this.savepoints = savepoints;
    }

    /**
     * @param checkpointRoot Flink's {@code execution.checkpointing.dir} (a file: URI or a path)
     * @param savepointRoot Flink's {@code execution.checkpointing.savepoint-dir}
     */
    public static LocalCheckpoints of(Path configFile, String checkpointRoot, String savepointRoot) {
        String id = idOf(configFile);
        return new LocalCheckpoints(
                id,
                localPath(checkpointRoot).resolve(id),
                localPath(savepointRoot).resolve(id));
    }

    static String idOf(Path configFile) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(configFile.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path localPath(String dir) {
        if (dir.contains("://")) {
            URI uri = URI.create(dir);
            if (!"file".equals(uri.getScheme())) {
                throw new IllegalArgumentException("local runs keep checkpoints on local disk; set "
                        + "execution.checkpointing.dir and savepoint-dir in flink-conf/config.yaml to file:///… (is "
                        + dir + ")");
            }
            return Path.of(uri);
        }
        return Path.of(dir);
    }

    public String id() {
        return id;
    }

    public Path checkpointDir() {
        return checkpoints;
    }

    public Path savepointDir() {
        return savepoints;
    }

    /**
     * The newest complete retained checkpoint ({@code <job>/chk-N}) or savepoint of this
     * configuration; a checkpoint is complete once Flink has written its {@code _metadata}.
     */
    public Optional<Path> newest() {
        return Stream.concat(metadataUnder(checkpoints, 3), metadataUnder(savepoints, 2))
                .max(Comparator.comparing(LocalCheckpoints::modified))
                .map(Path::getParent);
    }

    /**
     * Moves the state of earlier runs aside ({@code --fresh}), so a crash of the fresh run before its
     * first checkpoint cannot resume from the old state. Returns where it went, or nothing.
     */
    public List<Path> moveAside() throws IOException {
        String suffix = ".before-fresh-" + System.currentTimeMillis();
        List<Path> moved = new ArrayList<>();
        for (Path dir : List.of(checkpoints, savepoints)) {
            if (Files.isDirectory(dir)) {
                Path target = dir.resolveSibling(dir.getFileName() + suffix);
                Files.move(dir, target);
                moved.add(target);
            }
        }
        return moved;
    }

    private static Stream<Path> metadataUnder(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.find(
                dir,
                depth,
                (p, a) -> a.isRegularFile() && p.getFileName().toString().equals(METADATA))) {
            return files.collect(Collectors.toList()).stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
