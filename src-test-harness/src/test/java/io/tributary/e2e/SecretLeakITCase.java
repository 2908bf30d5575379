package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.cli.LocalRunner;
import io.tributary.harness.standin.PostgresPasswordLogins;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.standin.SecretsManagerStandIn;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nothing secret leaves the process: the job runs with a password nobody else knows, and every log line it writes
 * and every REST resource of its Flink cluster (job configuration, plan, exceptions, checkpoints, the cluster's
 * configuration and environment, every operator's metric names and values) are searched for it.
 *
 * <ul>
 *   <li>{@code ./tributary local} as a user runs it (its own JVM, its console and log file): the password given in
 *       the configuration, as local runs may.</li>
 *   <li>The job in service style: the password in a (stand-in) Secrets Manager secret, read when a connection is
 *       opened; then the role's password changes behind the job's back, so logins fail and their errors reach the
 *       logs and the job's exception history. Logs are captured at INFO for every logger, as the service writes
 *       them.</li>
 * </ul>
 * IAM tokens: {@code PostgresIamAuthITCase} proves a refused token is not in the error.
 */
class SecretLeakITCase {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tributary/leak-AbCdEf";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The logging of {@code ./tributary} commands, as the script passes it. */
    private static final Path CLI_LOGGING =
            Path.of("src/main/resources/log4j2-cli.properties").toAbsolutePath();

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @RegisterExtension
    static final StandInExtension<SecretsManagerStandIn> SECRETS = StandInExtension.secretsManager();

    @BeforeAll
    static void passwordLoginsAndSdkCredentials() {
        PostgresPasswordLogins.require(PG.get());
        // the SDK's default credentials chain reads these; the stand-in does not check signatures
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void clearSdkCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void localRunnerWritesThePasswordNowhere(@TempDir Path dir) throws Exception {
        String role = "leak_local";
        String password = "Pw-" + UUID.randomUUID();
        String db = database("leak_local", role, password);
        Path log = dir.resolve("log");
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put("source.postgres", source(db, role, Map.of("password", password)));
        groups.put("sink.eventlog", Map.of("path", log.toUri().toString()));
        Path config = LocalRunnerProcess.writeConfig(dir.resolve("leak.json"), groups);
        Path flinkConf = LocalRunnerProcess.writeFlinkConf(dir.resolve("flink-conf"), dir.resolve("state"), 2);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        String rest;
        try (LocalRunnerProcess runner = LocalRunnerProcess.start(
                LocalRunner.class,
                flinkConf,
                dir.resolve("runner.out"),
                List.of("-Djava.io.tmpdir=" + tmp, "-Dlog4j.configurationFile=" + CLI_LOGGING),
                "--config",
                config.toString())) {
            runner.awaitOutput("running; Flink web UI at ", Duration.ofMinutes(2));
            Matcher url = Pattern.compile("Flink web UI at (\\S+)").matcher(runner.output());
            assertThat(url.find()).as(runner.output()).isTrue();
            awaitRows(log, 50, runner::assertAlive);
            rest = restResources(url.group(1));
            runner.stop();
            runner.awaitExit(Duration.ofMinutes(2));
        }
        Path logFile = tmp.resolve("tributary").resolve("tributary.log");
        String logs = Files.readString(dir.resolve("runner.out")) + Files.readString(logFile);
        assertThat(logs)
                .as("the runner's console and log file were read")
                .contains("PostgreSQL")
                .contains(role);
        assertThat(rest).as("the REST resources were read").contains("\"jid\"");
        assertThat(logs).as("console and log files").doesNotContain(password);
        assertThat(rest).as("the Flink REST API").doesNotContain(password);
    }

    @Test
    void secretsManagerPasswordIsNeitherLoggedNorShownNorInFailures(@TempDir Path dir) throws Exception {
        String role = "leak_secret";
        String password = "Pw-" + UUID.randomUUID();
        String rotatedBehindTheJobsBack = "Pw-" + UUID.randomUUID();
        String db = database("leak_secret", role, password);
        SECRETS.get()
                .put(ARN, "{\"username\":\"" + role + "\",\"password\":\"" + password + "\",\"engine\":\"postgres\"}");
        Path log = dir.resolve("log");
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                        source(
                                db,
                                role,
                                Map.of(
                                        "password.secret-arn",
                                        ARN,
                                        "password.secret-endpoint",
                                        SECRETS.get().endpoint())),
                "sink.eventlog", Map.of("path", log.toUri().toString()))));
        Configuration flink = PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("checkpoints"), true);
        flink.setString("restart-strategy.fixed-delay.attempts", "3");
        flink.setString("restart-strategy.fixed-delay.delay", "500 ms");

        String rest;
        try (LogCapture logs = LogCapture.start();
                PipelineRun run = PipelineRun.start(config, ProductionEndpoints.create(config), flink, 1)) {
            awaitRows(log, 50, () -> EventLogEndToEndITCase.alive(run));
            // logins now fail: their errors go to the logs and to the job's exception history
            PG.get().execute("ALTER ROLE " + role + " PASSWORD '" + rotatedBehindTheJobsBack + "'");
            PG.get().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            run.failTaskManager();
            Deadline.of(Duration.ofMinutes(3))
                    .await("a failed login in the logs", () -> logs.text().contains("password authentication failed"));
            rest = restResources(run.webUrl());
            String text = logs.text();
            assertThat(text)
                    .as("INFO logs of every logger were captured")
                    .contains("PostgreSQL")
                    .contains(role);
            assertThat(text).as("logs").doesNotContain(password).doesNotContain(rotatedBehindTheJobsBack);
        }
        assertThat(rest).as("the REST resources were read").contains("\"jid\"");
        assertThat(rest).as("the Flink REST API").doesNotContain(password).doesNotContain(rotatedBehindTheJobsBack);
    }

    /**
     * Row values stay out of the logs: Flink CDC 3.5 logged every record it did not recognise at INFO, whole, and
     * Debezium follows each delete with such a record (a tombstone) unless told not to, so every deleted row's key
     * reached the logs (and cost a log line per delete).
     */
    @Test
    void changedAndDeletedRowsAreNotLogged(@TempDir Path dir) throws Exception {
        String role = "leak_rows";
        String password = "Pw-" + UUID.randomUUID();
        String db = database("leak_rows", role, password);
        Path log = dir.resolve("log");
        JobConfig config = JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres", source(db, role, Map.of("password", password)),
                "sink.eventlog", Map.of("path", log.toUri().toString()))));
        Configuration flink = PipelineRun.testFlinkConfig(Duration.ofMillis(500), dir.resolve("checkpoints"), true);
        String marker = "m" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        int key = 700_000_000 + (int) (Math.random() * 100_000_000);

        try (LogCapture logs = LogCapture.start();
                PipelineRun run = PipelineRun.start(config, ProductionEndpoints.create(config), flink, 1)) {
            awaitRows(log, 50, () -> EventLogEndToEndITCase.alive(run));
            PG.get()
                    .executeIn(
                            db,
                            "INSERT INTO widgets VALUES (" + key + ", '" + marker + "')",
                            "UPDATE widgets SET name = '" + marker + "-2' WHERE id = " + key,
                            "DELETE FROM widgets WHERE id = " + key,
                            "DELETE FROM widgets WHERE id <= 10");
            awaitRows(log, 50 + 3 + 10, () -> EventLogEndToEndITCase.alive(run));
            String text = logs.text();
            assertThat(text)
                    .as("INFO logs of every logger were captured")
                    .contains("PostgreSQL")
                    .contains(role);
            assertThat(text)
                    .as("logs")
                    .doesNotContain(marker)
                    .doesNotContain(Integer.toString(key))
                    .doesNotContain("Meet unknown element");
        }
    }

    /** A database with one captured table of 50 rows, and a login role with a SCRAM password. */
    private static String database(String name, String role, String password) {
        String db = PG.get().createDatabase(name);
        PG.get()
                .executeIn(
                        db,
                        "CREATE TABLE widgets (id int PRIMARY KEY, name text)",
                        "INSERT INTO widgets SELECT g, 'w' || g FROM generate_series(1, 50) g");
        // superuser so it may create the publication (the preflight tests cover the real grants)
        PG.get().execute("CREATE ROLE " + role + " LOGIN SUPERUSER REPLICATION PASSWORD '" + password + "'");
        return db;
    }

    private static Map<String, String> source(String db, String role, Map<String, String> auth) {
        Map<String, String> source = new HashMap<>(auth);
        source.put("hostname", PG.get().host());
        source.put("port", Integer.toString(PG.get().port()));
        source.put("database", db);
        source.put("username", role);
        source.put("slot.name", "tributary_" + db);
        source.put("publication.name", "tributary_" + db);
        source.put("tables.include", "public\\.widgets");
        source.put("heartbeat.interval", "1 s");
        return source;
    }

    private static void awaitRows(Path log, long rows, Runnable alive) throws Exception {
        TableId widgets = new TableId("public", "widgets");
        try (EventLogVerifier verifier = EventLogVerifier.open(log)) {
            Deadline.of(Duration.ofMinutes(3)).await("the snapshot in the event log", () -> {
                alive.run();
                return verifier.total(widgets) >= rows;
            });
        }
    }

    /**
     * The cluster's REST resources a reader of the web UI or the API sees, concatenated: the cluster configuration
     * and environment, and for every job its details, configuration, plan, exceptions, checkpoints, and every
     * vertex's metric names and values.
     */
    private static String restResources(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder all = new StringBuilder();
        for (String path : List.of(
                "/config", "/jobmanager/config", "/jobmanager/environment", "/taskmanagers", "/jobs/overview")) {
            all.append(get(http, base + path)).append('\n');
        }
        for (JsonNode job : JSON.readTree(get(http, base + "/jobs")).get("jobs")) {
            String id = job.get("id").asText();
            for (String path : List.of("", "/config", "/plan", "/exceptions", "/checkpoints", "/checkpoints/config")) {
                all.append(get(http, base + "/jobs/" + id + path)).append('\n');
            }
            for (JsonNode vertex :
                    JSON.readTree(get(http, base + "/jobs/" + id)).get("vertices")) {
                String metrics =
                        base + "/jobs/" + id + "/vertices/" + vertex.get("id").asText() + "/metrics";
                List<String> names = new ArrayList<>();
                JSON.readTree(get(http, metrics))
                        .forEach(m -> names.add(m.get("id").asText()));
                all.append(names).append('\n');
                for (int i = 0; i < names.size(); i += 50) {
                    String batch = String.join(",", names.subList(i, Math.min(names.size(), i + 50)));
                    all.append(get(http, metrics + "?get=" + URLEncoder.encode(batch, StandardCharsets.UTF_8)))
                            .append('\n');
                }
            }
        }
        return all.toString();
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** Every log event of this JVM at INFO and above, as the service logs them, for the duration of a test. */
    private static final class LogCapture implements AutoCloseable {
        private final StringBuilder text = new StringBuilder();
        private final LoggerContext context;
        private final AbstractAppender appender;
        private final Level rootLevel;

        private LogCapture(LoggerContext context) {
            this.context = context;
            this.appender = new AbstractAppender("leak-capture", null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    synchronized (text) {
                        text.append(event.getLoggerName())
                                .append(' ')
                                .append(event.getMessage().getFormattedMessage())
                                .append('\n');
                        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                            text.append(t).append('\n');
                        }
                    }
                }
            };
            LoggerConfig root = context.getConfiguration().getRootLogger();
            this.rootLevel = root.getLevel();
        }

        static LogCapture start() {
            LogCapture capture = new LogCapture((LoggerContext) LogManager.getContext(false));
            capture.appender.start();
            LoggerConfig root = capture.context.getConfiguration().getRootLogger();
            root.addAppender(capture.appender, Level.INFO, null);
            root.setLevel(Level.INFO);
            capture.context.updateLoggers();
            return capture;
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        @Override
        public void close() {
            LoggerConfig root = context.getConfiguration().getRootLogger();
            root.removeAppender(appender.getName());
            root.setLevel(rootLevel);
            context.updateLoggers();
            appender.stop();
        }
    }
}
