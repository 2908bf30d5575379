package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.harness.Deadline;
import io.tributary.harness.PipelineRun;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.job.ProductionEndpoints;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Issue 13: "60 mapped tables configured through property groups on a schema with 60 tables". The mappings sit in
 * {@code sink.dynamodb.tables} (50 keys, the service's limit) and {@code sink.dynamodb.tables.2} (10 keys), with no
 * {@code tables} string; after the snapshot and after streamed inserts, updates and deletes in every table, each
 * DynamoDB table holds exactly its PostgreSQL table's rows (read back with the SDK, compared with SELECT).
 */
class MappingGroupsSixtyTablesITCase {
    private static final int TABLES = 60;

    @TempDir
    Path dir;

    /** Every third table has a two-column key (partition grp, sort n); the others a single id. */
    private static boolean composite(int i) {
        return i % 3 == 0;
    }

    private static String table(int i) {
        return String.format("t%02d", i);
    }

    @Test
    void sixtyTablesMappedThroughPropertyGroupsEqualTheirSourceTables() throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start();
                DynamoDbStandIn dynamo = DynamoDbStandIn.start()) {
            String db = pg.createDatabase("sixty_mappings");
            List<String> ddl = new ArrayList<>();
            for (int i = 1; i <= TABLES; i++) {
                if (composite(i)) {
                    ddl.add("CREATE TABLE " + table(i)
                            + " (grp text, n int, note text NOT NULL, PRIMARY KEY (grp, n))");
                    ddl.add("INSERT INTO " + table(i) + " VALUES ('a', 1, 'x" + i + "'), ('a', 2, 'y'), ('b', 1, 'z')");
                } else {
                    ddl.add("CREATE TABLE " + table(i)
                            + " (id int PRIMARY KEY, name text NOT NULL, qty bigint NOT NULL)");
                    ddl.add("INSERT INTO " + table(i) + " VALUES (1, 'one', " + i
                            + "), (2, 'two', 20), (3, 'three', 30)");
                }
            }
            pg.executeIn(db, ddl.toArray(new String[0]));

            Map<String, String> first = new LinkedHashMap<>();
            Map<String, String> second = new LinkedHashMap<>();
            for (int i = 1; i <= TABLES; i++) {
                String mapping = "rm_" + table(i) + (composite(i) ? ";partition=grp:S;sort=n:N" : ";partition=id:N");
                (i <= 50 ? first : second).put("public." + table(i), mapping);
            }
            Map<String, Map<String, String>> groups = new HashMap<>();
            groups.put(
                    "source.postgres",
                    Map.of(
                            "hostname",
                            pg.host(),
                            "port",
                            Integer.toString(pg.port()),
                            "database",
                            db,
                            "username",
                            PostgresStandIn.USER,
                            "password",
                            PostgresStandIn.PASSWORD,
                            "slot.name",
                            "sixty",
                            "publication.name",
                            "sixty",
                            "tables.include",
                            "public\\.t[0-9]{2}",
                            "heartbeat.interval",
                            "1 s"));
            groups.put("sink.eventlog", Map.of("enabled", "false"));
            groups.put(
                    "dead-letters",
                    Map.of("path", dir.resolve("dead-letters").toUri().toString()));
            groups.put(
                    "sink.dynamodb",
                    Map.of(
                            "enabled",
                            "true",
                            "endpoint",
                            dynamo.endpoint(),
                            "local",
                            "true",
                            "region",
                            DynamoDbStandIn.REGION));
            groups.put("sink.dynamodb.tables", first);
            groups.put("sink.dynamodb.tables.2", second);
            JobConfig config = JobConfig.of(new PropertyGroups(groups));

            List<DynamoDbTableMapping> mappings = config.dynamoDbMappings();
            assertThat(mappings).as("mappings read from the two groups").hasSize(TABLES);
            dynamo.createTables(mappings);

            try (PipelineRun run = PipelineRun.start(
                    config,
                    ProductionEndpoints.create(config),
                    PipelineRun.testFlinkConfig(Duration.ofSeconds(1), dir.resolve("cp"), false),
                    2)) {
                awaitEqual(pg, db, dynamo, mappings, run, "after the snapshot");

                List<String> stream = new ArrayList<>();
                for (int i = 1; i <= TABLES; i++) {
                    String t = table(i);
                    stream.add("BEGIN");
                    if (composite(i)) {
                        stream.add("INSERT INTO " + t + " VALUES ('c', 7, 'new')");
                        stream.add("UPDATE " + t + " SET note = 'changed " + i + "' WHERE grp = 'a' AND n = 2");
                        stream.add("DELETE FROM " + t + " WHERE grp = 'b' AND n = 1");
                    } else {
                        stream.add("INSERT INTO " + t + " VALUES (4, 'four', 40)");
                        stream.add("UPDATE " + t + " SET qty = qty + 1000, name = 'updated' WHERE id = 2");
                        stream.add("DELETE FROM " + t + " WHERE id = 3");
                    }
                    stream.add("COMMIT");
                }
                pg.executeIn(db, stream.toArray(new String[0]));
                awaitEqual(pg, db, dynamo, mappings, run, "after the streamed changes");
                assertThat(run.status().isGloballyTerminalState())
                        .as("job still running")
                        .isFalse();
            }
        }
    }

    private static void awaitEqual(
            PostgresStandIn pg,
            String db,
            DynamoDbStandIn dynamo,
            List<DynamoDbTableMapping> mappings,
            PipelineRun run,
            String when)
            throws Exception {
        Map<String, String> differences = new TreeMap<>();
        Deadline.of(Duration.ofMinutes(4))
                .await(
                        () -> "every DynamoDB table equal to its PostgreSQL table " + when + "; still different: "
                                + differences,
                        () -> {
                            run.assertAlive();
                            differences.clear();
                            try (Connection c = pg.connect(db)) {
                                for (DynamoDbTableMapping m : mappings) {
                                    Set<Map<String, String>> expected =
                                            rows(c, m.sourceTable().toString());
                                    Set<Map<String, String>> actual = items(dynamo, m.targetTable());
                                    if (!expected.equals(actual)) {
                                        differences.put(
                                                m.sourceTable().toString(),
                                                "PostgreSQL " + expected + " DynamoDB " + actual);
                                    }
                                }
                            }
                            return differences.isEmpty();
                        });
    }

    /** The table's rows as PostgreSQL prints them: column name to text. */
    private static Set<Map<String, String>> rows(Connection c, String table) throws Exception {
        Set<Map<String, String>> rows = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The table's items read back with the SDK (a consistent scan): attribute to text, without the version. */
    private static Set<Map<String, String>> items(DynamoDbStandIn dynamo, String table) {
        Set<Map<String, String>> items = new HashSet<>();
        for (Map<String, AttributeValue> item : dynamo.scan(table)) {
            Map<String, String> row = new TreeMap<>();
            item.forEach((name, value) -> {
                if (!name.equals("_version")) {
                    row.put(name, value.s() != null ? value.s() : value.n() != null ? value.n() : value.toString());
                }
            });
            items.add(row);
        }
        return items;
    }
}
