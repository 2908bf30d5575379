package io.tributary.harness.standin;

import io.tributary.dynamodb.DynamoDbClientSettings;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.harness.ChildProcesses;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * DynamoDB Local on a free loopback port, in its own JVM: its Jetty 12, Antlr 4 and SDK v1 must
 * not mix with Flink's classpath. The classpath and the sqlite4java native library come from the
 * module {@code src-test-harness/dynamodb-local-runtime}; their locations arrive as the system
 * properties {@value #CLASSPATH_FILE_PROPERTY} and {@value #NATIVE_DIR_PROPERTY} (the harness's
 * surefire configuration sets both). Tables live in memory and vanish with the process.
 */
public final class DynamoDbStandIn implements AutoCloseable {
    public static final String CLASSPATH_FILE_PROPERTY = "tributary.dynamodb-local.classpath.file";
    public static final String NATIVE_DIR_PROPERTY = "tributary.dynamodb-local.native.dir";
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "tributary";
    public static final String SECRET_KEY = "tributary-secret";
    private static final String MAIN_CLASS = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;
    private final DynamoDbClient client;

    private DynamoDbStandIn(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.client = clientSettings().createSyncClient();
    }

    /** Starts DynamoDB Local and waits until it answers ListTables. */
    public static DynamoDbStandIn start() {
        try {
            String classpath = Files.readString(
                            existing(CLASSPATH_FILE_PROPERTY, "dynamodb-local-runtime/target/dynamodb-local.classpath"))
                    .trim();
            Path nativeDir = existing(NATIVE_DIR_PROPERTY, "dynamodb-local-runtime/target/native");
            Path log = Files.createTempFile("tributary-dynamodb-local", ".log");
            int port = PostgresStandIn.freePort();
            Process process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx512m",
                            "-Dsqlite4java.library.path=" + nativeDir.toAbsolutePath(),
                            "-cp",
                            classpath,
                            MAIN_CLASS,
                            "-inMemory",
                            "-sharedDb",
                            "-port",
                            Integer.toString(port))
                    // DynamoDB Local writes a metadata file into its working directory
                    .directory(log.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ChildProcesses.stopOnExit(process);
            DynamoDbStandIn standIn = new DynamoDbStandIn(process, port, log);
            standIn.awaitReady();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start DynamoDB Local", e);
        }
    }

    private static Path existing(String property, String fallback) {
        Path path = Path.of(System.getProperty(property, fallback));
        if (!Files.exists(path)) {
            throw new IllegalStateException(
                    "DynamoDB Local runtime file " + path.toAbsolutePath() + " is missing: build"
                            + " the module src-test-harness/dynamodb-local-runtime first (run Maven from the root with -am)");
        }
        return path;
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("DynamoDB Local exited with " + process.exitValue() + "; its log " + log
                        + ":\n" + Files.readString(log));
            }
            try {
                client.listTables();
                return;
            } catch (RuntimeException notYet) {
                last = notYet;
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for DynamoDB Local", e);
            }
        }
        close();
        throw new IllegalStateException("DynamoDB Local did not answer on " + endpoint() + " within " + START_TIMEOUT
                + " (last error " + last + "); its log " + log + ":\n" + Files.readString(log));
    }

    /** Creates each mapping's target table (on-demand, its key schema) and waits until it is active. */
    public void createTables(List<DynamoDbTableMapping> mappings) {
        for (DynamoDbTableMapping m : mappings) {
            List<KeySchemaElement> keys = new ArrayList<>();
            List<AttributeDefinition> attributes = new ArrayList<>();
            keys.add(KeySchemaElement.builder()
                    .attributeName(m.partitionKey().name())
                    .keyType(KeyType.HASH)
                    .build());
            attributes.add(AttributeDefinition.builder()
                    .attributeName(m.partitionKey().name())
                    .attributeType(m.partitionKey().type())
                    .build());
            m.sortKey().ifPresent(sort -> {
                keys.add(KeySchemaElement.builder()
                        .attributeName(sort.name())
                        .keyType(KeyType.RANGE)
                        .build());
                attributes.add(AttributeDefinition.builder()
                        .attributeName(sort.name())
                        .attributeType(sort.type())
                        .build());
            });
            client.createTable(CreateTableRequest.builder()
                    .tableName(m.targetTable())
                    .keySchema(keys)
                    .attributeDefinitions(attributes)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .build());
            client.waiter().waitUntilTableExists(r -> r.tableName(m.targetTable()));
        }
    }

    /** Every item of {@code table}, read with a consistent scan. */
    public List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(ScanRequest.builder()
                        .tableName(table)
                        .consistentRead(true)
                        .build())
                .items()
                .forEach(items::add);
        return items;
    }

    /** A blocking client for test setup and assertions. */
    public DynamoDbClient client() {
        return client;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Client settings for the sink and the verifier: this endpoint, static keys (DynamoDB Local checks none). */
    public DynamoDbClientSettings clientSettings() {
        return clientSettings(endpoint());
    }

    /** The same, through another endpoint such as a {@link DynamoDbFaultProxy}. */
    public static DynamoDbClientSettings clientSettings(String endpoint) {
        return DynamoDbClientSettings.builder(REGION)
                .endpoint(endpoint)
                .staticCredentials(ACCESS_KEY, SECRET_KEY)
                .build();
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The {@code sink.dynamodb} property group of a job that writes {@code mappings} to the stand-in at {@code endpoint}. */
    public static Map<String, String> sinkGroup(String endpoint, List<String> mappings) {
        return Map.of(
                "enabled",
                "true",
                "endpoint",
                endpoint,
                "local",
                "true",
                "region",
                REGION,
                "tables",
                String.join(" | ", mappings));
    }
}
