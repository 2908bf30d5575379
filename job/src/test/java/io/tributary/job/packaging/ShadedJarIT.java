package io.tributary.job.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.job.TributaryJob;

import com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.ExecutionEnvironment;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

/**
 * The shaded jar Managed Service for Apache Flink runs. Runs in {@code mvn verify} (failsafe),
 * after {@code package} has built the jar. Named *IT so surefire, which runs before the jar exists, never picks it up.
 */
class ShadedJarIT {
    private static final long MSF_LIMIT_BYTES = 512L * 1024 * 1024;

    private static Path jar;
    private static Set<String> entries;

    @BeforeAll
    static void openJar() throws IOException {
        String path = System.getProperty("tributary.shaded.jar");
        assertThat(path)
                .as("system property tributary.shaded.jar (set by the failsafe execution)")
                .isNotNull();
        jar = Path.of(path);
        assertThat(jar).exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).collect(Collectors.toSet());
        }
    }

    @Test
    void mainClassIsTheJob() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(TributaryJob.class.getName());
        }
        assertThat(entries).contains("io/tributary/job/TributaryJob.class", "io/tributary/event/ChangeEvent.class");
    }

    @Test
    void wellUnderTheServiceSizeLimit() throws IOException {
        assertThat(Files.size(jar)).isLessThan(MSF_LIMIT_BYTES / 2);
    }

    /**
     * Flink's own runtime is provided by the cluster: no class of flink-core, flink-runtime,
     * flink-streaming-java, flink-java, flink-clients or the RPC/metrics core may be bundled.
     * Connector jars (flink-connector-*, flink-cdc, flink-parquet, flink-s3-fs-hadoop) are
     * expected: flink-connector-files legitimately ships classes under
     * org/apache/flink/streaming/api/functions/sink/filesystem, so the check compares against the
     * provided jars' own entries rather than package prefixes.
     */
    @Test
    void noFlinkRuntimeClasses() throws IOException {
        List<Class<?>> providedMarkers = List.of(
                Configuration.class, // flink-core
                JobGraph.class, // flink-runtime
                StreamExecutionEnvironment.class, // flink-streaming-java
                ExecutionEnvironment.class, // flink-java
                PackagedProgram.class, // flink-clients
                Counter.class, // flink-metrics-core
                TypeInformation.class); // flink-core (api)
        List<String> bundled = new ArrayList<>();
        for (Class<?> marker : providedMarkers) {
            Path provided = Path.of(jarOf(marker));
            try (JarFile file = new JarFile(provided.toFile())) {
                file.stream()
                        .map(ZipEntry::getName)
                        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                        .filter(entries::contains)
                        .limit(5)
                        .forEach(n -> bundled.add(n + " (from " + provided.getFileName() + ")"));
            }
        }
        assertThat(bundled).as("classes the Flink cluster provides").isEmpty();
        assertThat(entries)
                .as("the job's entry class of the DataStream API")
                .doesNotContain(
                        "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
                        "org/apache/flink/configuration/Configuration.class",
                        "org/apache/flink/runtime/taskexecutor/TaskExecutor.class");
    }

    @Test
    void noLoggingImplementationOrApi() {
        List<String> logging = entries.stream()
                .filter(n -> n.startsWith("org/slf4j/")
                        || n.startsWith("org/apache/logging/log4j/")
                        || n.startsWith("org/apache/log4j/")
                        || n.startsWith("ch/qos/logback/")
                        || n.equals("log4j2.properties")
                        || n.equals("log4j.properties")
                        || n.equals("logback.xml"))
                .limit(10)
                .collect(Collectors.toList());
        assertThat(logging)
                .as("logging is the cluster's (Flink ships log4j2 and its slf4j binding)")
                .isEmpty();
    }

    @Test
    void noSignatureFiles() {
        assertThat(entries.stream().filter(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")))
                .as("signature files of bundled jars would fail verification of the merged jar")
                .isEmpty();
    }

    @Test
    void flinkFactoryServiceFilesAreMerged() throws IOException {
        Set<String> factories = serviceLines("org.apache.flink.table.factories.Factory");
        assertThat(factories)
                .as("every connector's factories, merged rather than one jar's file winning")
                .anyMatch(f -> f.startsWith("org.apache.flink.cdc."))
                .anyMatch(f -> f.startsWith("org.apache.flink.formats.parquet."))
                .anyMatch(f -> f.startsWith("org.apache.flink.connector.file."));
    }

    /**
     * File systems (s3://) are the cluster's plugins: Flink discovers them when the process starts,
     * so a factory in the job jar would never load, and flink-s3-fs-hadoop's unrelocated Jackson
     * would shadow the job's.
     */
    @Test
    void noFileSystemPluginAndOneJackson() throws IOException {
        assertThat(entries)
                .doesNotContain("META-INF/services/org.apache.flink.core.fs.FileSystemFactory")
                .noneMatch(n -> n.startsWith("org/apache/flink/fs/s3"));
        // Other jars carry Jackson's Maven metadata but relocate its classes; the classes must be the job's own.
        String versionClass = "com/fasterxml/jackson/core/json/PackageVersion.class";
        try (JarFile shaded = new JarFile(jar.toFile());
                JarFile jackson = new JarFile(jarOf(JsonParser.class));
                InputStream a = shaded.getInputStream(shaded.getEntry(versionClass));
                InputStream b = jackson.getInputStream(jackson.getEntry(versionClass))) {
            assertThat(a.readAllBytes())
                    .as("Jackson in the jar is the job's " + jackson.getName())
                    .isEqualTo(b.readAllBytes());
        }
    }

    @Test
    void serviceRuntimeIsBundledWithItsConfiguration() throws IOException {
        assertThat(entries).contains("com/amazonaws/services/kinesisanalytics/runtime/KinesisAnalyticsRuntime.class");
        try (JarFile file = new JarFile(jar.toFile());
                InputStream in = file.getInputStream(file.getEntry("config.properties"))) {
            // KinesisAnalyticsRuntime reads this resource to find the service's properties file.
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("application_properties_file = /etc/flink/application_properties.json");
        }
        assertThat(entries)
                .contains(
                        "software/amazon/awssdk/services/secretsmanager/SecretsManagerAsyncClient.class",
                        "org/apache/flink/formats/parquet/ParquetWriterFactory.class",
                        "org/apache/parquet/hadoop/ParquetWriter.class");
    }

    private static Set<String> serviceLines(String service) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry entry = file.getEntry("META-INF/services/" + service);
            assertThat(entry).as("META-INF/services/" + service).isNotNull();
            try (InputStream in = file.getInputStream(entry)) {
                Set<String> lines = new HashSet<>();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String l = line.replaceAll("#.*", "").trim();
                    if (!l.isEmpty()) {
                        lines.add(l);
                    }
                }
                return lines;
            }
        }
    }

    private static String jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
