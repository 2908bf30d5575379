package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.DestinationCheckException;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.ConfigException;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination that no write could reach fails the job's start-up with a message that says what to
 * fix, before PostgreSQL is touched: no publication and no replication slot exist afterwards. The
 * last test is the control: with every destination ready, start-up creates the publication.
 */
class DestinationStartupCheckITCase {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @RegisterExtension
    static final StandInExtension<KinesisStandIn> KINESIS = StandInExtension.kinesis();

    @RegisterExtension
    static final StandInExtension<DynamoDbStandIn> DYNAMODB = StandInExtension.dynamoDb();

    @TempDir
    Path dir;

    @BeforeAll
    static void createDestinations() {
        KINESIS.get().createStream("changes", 1);
        DYNAMODB.get().createTables(List.of(DynamoDbTableMapping.parse("public.widgets=widgets;partition=id:N")));
        DYNAMODB.get()
                .createTables(List.of(DynamoDbTableMapping.parse("public.widgets=widgets_by_name;partition=name:S")));
    }

    /** A fresh database with one table, and the configuration of all three destinations for it. */
    private Map<String, Map<String, String>> groups(String db) {
        PG.get().executeIn(db, "CREATE TABLE widgets (id int PRIMARY KEY, name text)");
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                Map.of(
                        "hostname",
                        PG.get().host(),
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
                        "public\\.widgets"));
        groups.put("sink.eventlog", Map.of("path", dir.resolve("log").toUri().toString()));
        groups.put("sink.kinesis", KinesisStandIn.sinkGroup(KINESIS.get().endpoint(), "changes"));
        groups.put(
                "sink.dynamodb",
                Map.of(
                        "enabled",
                        "true",
                        "endpoint",
                        DYNAMODB.get().endpoint(),
                        "local",
                        "true",
                        "region",
                        DynamoDbStandIn.REGION,
                        "tables",
                        "public.widgets=widgets;partition=id:N"));
        return groups;
    }

    private static String database() {
        return PG.get().createDatabase("startup_check_" + DATABASES.incrementAndGet());
    }

    private static void assertStartupFailsUntouched(
            String db, Map<String, Map<String, String>> groups, String... message) throws Exception {
        JobConfig config = JobConfig.of(new PropertyGroups(groups));
        assertThatThrownBy(() -> ProductionEndpoints.create(config))
                .isInstanceOf(DestinationCheckException.class)
                .hasMessageStartingWith("the job's destinations are not ready; nothing was changed in the database")
                .hasMessageContainingAll(message);
        assertThat(count(db, "SELECT count(*) FROM pg_publication"))
                .as("publications")
                .isZero();
        assertThat(count(db, "SELECT count(*) FROM pg_replication_slots"))
                .as("replication slots")
                .isZero();
    }

    private static long count(String db, String sql) throws Exception {
        try (Connection c = PG.get().connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void missingDynamoDbTable() throws Exception {
        String db = database();
        Map<String, Map<String, String>> groups = groups(db);
        groups.put(
                "sink.dynamodb",
                Map.of(
                        "enabled",
                        "true",
                        "endpoint",
                        DYNAMODB.get().endpoint(),
                        "local",
                        "true",
                        "region",
                        DynamoDbStandIn.REGION,
                        "tables",
                        "public.widgets=no_such_table;partition=id:N"));
        assertStartupFailsUntouched(
                db,
                groups,
                "DynamoDB table no_such_table (mapped from public.widgets) does not exist",
                "create it with partition id:N, sort none");
    }

    @Test
    void dynamoDbKeySchemaMismatch() throws Exception {
        String db = database();
        Map<String, Map<String, String>> groups = groups(db);
        groups.put(
                "sink.dynamodb",
                Map.of(
                        "enabled",
                        "true",
                        "endpoint",
                        DYNAMODB.get().endpoint(),
                        "local",
                        "true",
                        "region",
                        DynamoDbStandIn.REGION,
                        "tables",
                        "public.widgets=widgets_by_name;partition=id:N"));
        assertStartupFailsUntouched(
                db,
                groups,
                "DynamoDB table widgets_by_name",
                "has the key schema partition name:S, sort none but its mapping writes partition id:N, sort none",
                "every write would fail");
    }

    @Test
    void missingKinesisStream() throws Exception {
        String db = database();
        Map<String, Map<String, String>> groups = groups(db);
        groups.put("sink.kinesis", KinesisStandIn.sinkGroup(KINESIS.get().endpoint(), "no-such-stream"));
        assertStartupFailsUntouched(
                db,
                groups,
                "Kinesis stream no-such-stream",
                "does not exist",
                "aws kinesis create-stream --stream-name no-such-stream");
    }

    @Test
    void unwritableEventLogAndDeadLetterPaths() throws Exception {
        String db = database();
        Map<String, Map<String, String>> groups = groups(db);
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        groups.put("sink.eventlog", Map.of("path", file.toUri() + "/log"));
        groups.put("dead-letters", Map.of("path", file.toUri() + "/letters"));
        assertStartupFailsUntouched(
                db,
                groups,
                "cannot write below 'path' of property group 'sink.eventlog'",
                "cannot write below the dead-letter path");
    }

    /** A read-model mapping (property group sink.dynamodb.tables) for a table outside tables.include stops start-up. */
    @Test
    void mappingOfAnUncapturedTableStopsStartUpUntouched() throws Exception {
        String db = database();
        Map<String, Map<String, String>> groups = groups(db);
        groups.put(
                "sink.dynamodb",
                Map.of(
                        "enabled",
                        "true",
                        "endpoint",
                        DYNAMODB.get().endpoint(),
                        "local",
                        "true",
                        "region",
                        DynamoDbStandIn.REGION));
        groups.put(
                "sink.dynamodb.tables",
                Map.of(
                        "public.widgets",
                        "widgets;partition=id:N",
                        "public.gadgets",
                        "widgets_by_name;partition=name:S;truncate=dead-letter"));
        JobConfig config = JobConfig.of(new PropertyGroups(groups));
        assertThatThrownBy(() -> ProductionEndpoints.create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the read model maps [public.gadgets], which the job does not capture")
                .hasMessageContaining("'tables.include'");
        assertThat(count(db, "SELECT count(*) FROM pg_publication"))
                .as("publications")
                .isZero();
        assertThat(count(db, "SELECT count(*) FROM pg_replication_slots"))
                .as("replication slots")
                .isZero();
    }

    /** A mapped table that the patterns capture but the database does not have stops start-up, naming it. */
    @Test
    void mappingOfAMissingTableStopsStartUp() throws Exception {
        String db = database();
        Map<String, Map<String, String>> groups = groups(db);
        Map<String, String> source = new HashMap<>(groups.get("source.postgres"));
        source.put("tables.include", "public\\.w.*");
        groups.put("source.postgres", source);
        groups.put(
                "sink.dynamodb",
                Map.of(
                        "enabled",
                        "true",
                        "endpoint",
                        DYNAMODB.get().endpoint(),
                        "local",
                        "true",
                        "region",
                        DynamoDbStandIn.REGION));
        groups.put(
                "sink.dynamodb.tables",
                Map.of(
                        "public.widgets",
                        "widgets;partition=id:N",
                        "public.wombats",
                        "widgets_by_name;partition=name:S;truncate=dead-letter"));
        JobConfig config = JobConfig.of(new PropertyGroups(groups));
        assertThatThrownBy(() -> ProductionEndpoints.create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the read model maps [public.wombats], which the job does not capture")
                .hasMessageContaining("no such table exists in database '" + db + "'");
        assertThat(count(db, "SELECT count(*) FROM pg_replication_slots"))
                .as("replication slots")
                .isZero();
    }

    @Test
    void readyDestinationsLetStartUpCreateThePublication() throws Exception {
        String db = database();
        ProductionEndpoints.create(JobConfig.of(new PropertyGroups(groups(db))));
        assertThat(count(db, "SELECT count(*) FROM pg_publication")).isEqualTo(1);
    }
}
