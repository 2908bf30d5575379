package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tributary.event.TableId;
import io.tributary.event.TableSchema;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.TlsTestCertificates;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.verify.EventLogVerifier;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.postgres.PostgresPreflightException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job against a PostgreSQL that accepts only TLS (pg_hba.conf {@code hostssl}, replication included) with a
 * server certificate for "localhost" signed by a CA the test makes: with {@code ssl.mode=verify-full} and that CA it
 * captures a snapshot and a stream (the log's latest state equals {@code SELECT}); with a wrong CA, a host name the
 * certificate does not name, or TLS off it refuses at start-up, saying what to fix, before any publication or
 * slot exists.
 */
class PostgresTlsITCase {
    private static final TableId ITEMS = new TableId("public", "items");
    private static final TlsTestCertificates CA = TlsTestCertificates.newCa("tributary test CA");
    /** Accepts TLS connections only. */
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgresTls(CA.issueServer("localhost"));

    @Test
    void capturesSnapshotAndStreamWithVerifyFull(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("tls_capture");
        PG.get()
                .executeIn(
                        db,
                        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int)",
                        "INSERT INTO items SELECT g, 'item ' || g, g FROM generate_series(1, 200) g");
        Path caFile = Files.writeString(dir.resolve("ca.pem"), CA.caPem());
        Path log = dir.resolve("log");
        JobConfig config =
                config(db, "localhost", log, Map.of("ssl.mode", "verify-full", "ssl.root-cert", caFile.toString()));
        Map<String, Long> expected =
                new TreeMap<>(Map.of("snapshot", 200L, "I", 0L, "U", 0L, "D", 0L, EventLogVerifier.BASELINE, 1L));

        try (PipelineRun run = PipelineRun.start(
                        config,
                        ProductionEndpoints.create(config),
                        PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                        2);
                EventLogVerifier verifier = EventLogVerifier.open(log)) {
            awaitCounts(verifier, expected, run);
            change(db, expected, "U", "UPDATE items SET qty = qty + 1 WHERE id <= 50");
            change(db, expected, "I", "INSERT INTO items SELECT g, 'new ' || g, 1 FROM generate_series(201, 220) g");
            change(db, expected, "D", "DELETE FROM items WHERE id BETWEEN 100 AND 109");
            awaitCounts(verifier, expected, run);

            assertThat(verifier.counts(ITEMS)).isEqualTo(expected);
            TableSchema schema = verifier.schemas().get(ITEMS);
            try (Connection c = PG.get().connect(db)) {
                assertThat(EventLogVerifier.differences(
                                EventLogVerifier.databaseState(c, schema), verifier.latestState(schema), 10))
                        .as("latest state vs SELECT")
                        .isEmpty();
            }
        }
    }

    @Test
    void refusesACertificateSignedByAnotherCa(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("tls_wrong_ca");
        String otherCa = TlsTestCertificates.newCa("another CA").caPem();
        assertRefusedBeforeAnythingExists(
                db,
                config(
                        db,
                        "localhost",
                        dir.resolve("log"),
                        Map.of("ssl.mode", "verify-full", "ssl.root-cert", otherCa)),
                "is not signed by a CA in ssl.root-cert");
    }

    @Test
    void refusesAHostNameTheCertificateDoesNotName(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("tls_wrong_host");
        assertRefusedBeforeAnythingExists(
                db,
                config(
                        db,
                        "127.0.0.1",
                        dir.resolve("log"),
                        Map.of("ssl.mode", "verify-full", "ssl.root-cert", CA.caPem())),
                "does not name the host '127.0.0.1'");
    }

    @Test
    void refusesTlsOffAgainstAServerThatAllowsOnlyTls(@TempDir Path dir) throws Exception {
        String db = PG.get().createDatabase("tls_off");
        assertRefusedBeforeAnythingExists(
                db,
                config(db, "localhost", dir.resolve("log"), Map.of("ssl.mode", "disable")),
                "The server accepts only TLS connections (pg_hba.conf hostssl, or rds.force_ssl=1 on RDS)");
    }

    private static void assertRefusedBeforeAnythingExists(String db, JobConfig config, String remedy) throws Exception {
        Throwable t = catchThrowable(() -> ProductionEndpoints.create(config));
        assertThat(t).isInstanceOf(PostgresPreflightException.class);
        assertThat(t.getMessage()).contains(remedy).doesNotContain(PostgresStandIn.PASSWORD + "@");
        try (Connection c = PG.get().connect(db);
                Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM pg_publication"))
                    .as("publications")
                    .isZero();
            assertThat(count(s, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"))
                    .as("replication slots")
                    .isZero();
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JobConfig config(String db, String host, Path log, Map<String, String> tls) {
        Map<String, String> source = new HashMap<>(Map.of(
                "hostname",
                host,
                "port",
                Integer.toString(PG.get().port()),
                "database",
                db,
                "username",
                PostgresStandIn.USER,
                "password",
                PostgresStandIn.PASSWORD,
                "slot.name",
                db,
                "publication.name",
                db,
                "tables.include",
                "public\\.items",
                "heartbeat.interval",
                "1 s",
                "connect.max-retries",
                "0"));
        source.putAll(tls);
        return JobConfig.of(new PropertyGroups(Map.of(
                "source.postgres",
                source,
                "sink.eventlog",
                Map.of("path", log.toUri().toString()))));
    }

    private static void change(String db, Map<String, Long> expected, String op, String sql) throws Exception {
        try (Connection c = PG.get().connect(db);
                Statement s = c.createStatement()) {
            expected.merge(op, (long) s.executeUpdate(sql), Long::sum);
        }
    }

    private static void awaitCounts(EventLogVerifier verifier, Map<String, Long> expected, PipelineRun run)
            throws Exception {
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        Deadline.of(Duration.ofMinutes(2))
                .await(() -> "log counts " + expected + ", seen " + safeCounts(verifier), () -> {
                    run.assertAlive();
                    return verifier.counts(ITEMS).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            >= total;
                });
    }

    private static Map<String, Long> safeCounts(EventLogVerifier verifier) {
        try {
            return verifier.counts(ITEMS);
        } catch (Exception e) {
            return Map.of();
        }
    }
}
