package io.tributary.harness.cli;

import io.tributary.dynamodb.DynamoDbJournalLayout;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.S3StandIn;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./tributary standins --config FILE.json}: starts the local stand-ins of the destinations a
 * configuration names — kinesalite with its stream, DynamoDB Local with its tables, S3Mock with the
 * event log's (and dead letters') bucket — prints their endpoints and the properties that point the
 * job at them, writes them into {@code FILE.standins.json} and a {@code flink-conf} directory with the
 * S3 endpoint, and keeps them up until Ctrl-C. The database stays the user's own.
 */
public final class LocalStandIns {
    private LocalStandIns() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: ./tributary standins --config FILE.json");
            System.exit(2);
        }
        Path configFile = Path.of(args[1]).toAbsolutePath();
        JobConfig config = JobConfig.fromFile(configFile);
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        PropertyGroups.fromFile(configFile).asMap().forEach((id, map) -> groups.put(id, new LinkedHashMap<>(map)));
        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "tributary-standins-stop"));

        Map<String, String> flinkS3 = Map.of();
        Set<String> buckets = bucketsOf(config);
        if (!buckets.isEmpty()) {
            System.out.println("[standins] starting the S3-compatible store (S3Mock) with buckets " + buckets + "…");
            S3StandIn s3 = S3StandIn.start(buckets.toArray(new String[0]));
            started.add(s3);
            flinkS3 = s3.flinkConfig();
            System.out.println(
                    "[standins] S3 endpoint " + s3.endpoint() + ", objects stored under " + s3.storageRoot());
        }
        if (config.kinesisEnabled()) {
            String stream = config.kinesisStreamName();
            System.out.println("[standins] starting the Kinesis emulator (kinesalite) with stream " + stream + "…");
            KinesisStandIn kinesis = KinesisStandIn.start();
            started.add(kinesis);
            kinesis.createStream(stream, 2);
            Map<String, String> k = groups.get("sink.kinesis");
            k.put("endpoint", kinesis.endpoint());
            k.put("emulator", "true");
            k.put("region", KinesisStandIn.REGION);
            System.out.println(
                    "[standins] Kinesis endpoint " + kinesis.endpoint() + "; watch it with: ./tributary kinesis-tail"
                            + " --endpoint " + kinesis.endpoint() + " --stream " + stream);
        }
        boolean readModel = config.dynamoDbEnabled();
        boolean journal = config.journalEnabled();
        if (readModel || journal) {
            List<DynamoDbTableMapping> mappings = readModel ? distinctTargets(config.dynamoDbMappings()) : List.of();
            String journalTable = journal ? config.journalSettings().table() : null;
            System.out.println("[standins] starting DynamoDB Local with tables "
                    + mappings.stream().map(DynamoDbTableMapping::targetTable).toList()
                    + (journal ? " and journal " + journalTable : "") + "…");
            DynamoDbStandIn dynamo = DynamoDbStandIn.start();
            started.add(dynamo);
            dynamo.createTables(mappings);
            if (journal) {
                dynamo.client().createTable(DynamoDbJournalLayout.createTableRequest(journalTable));
                dynamo.client().waiter().waitUntilTableExists(r -> r.tableName(journalTable));
            }
            Map<String, String> d = groups.computeIfAbsent("sink.dynamodb", k -> new LinkedHashMap<>());
            d.put("endpoint", dynamo.endpoint());
            d.put("local", "true");
            d.put("region", DynamoDbStandIn.REGION);
            System.out.println("[standins] DynamoDB endpoint " + dynamo.endpoint());
        }
        if (started.isEmpty()) {
            System.out.println(
                    "[standins] the configuration names no Kinesis stream, no DynamoDB table and no s3:// path:"
                            + " nothing to start");
            return;
        }
        Path standinsConfig = configFile.resolveSibling(
                configFile.getFileName().toString().replaceFirst("\\.json$", "") + ".standins.json");
        Files.writeString(standinsConfig, json(groups));
        Path flinkConf = writeFlinkConf(configFile, flinkS3);
        System.out.println("[standins] properties pointing the job at the stand-ins:");
        for (String id : List.of("sink.kinesis", "sink.dynamodb")) {
            if (groups.containsKey(id)) {
                groups.get(id).forEach((key, value) -> {
                    if (key.equals("endpoint")
                            || key.equals("emulator")
                            || key.equals("local")
                            || key.equals("region")) {
                        System.out.println("  " + id + "  " + key + " = " + value);
                    }
                });
            }
        }
        new TreeMap<>(flinkS3).forEach((key, value) -> System.out.println("  flink-conf  " + key + ": " + value));
        System.out.println("[standins] written to " + standinsConfig + " and " + flinkConf.resolve("config.yaml"));
        System.out.println("[standins] run the job in another terminal:\n  ./tributary local --config " + standinsConfig
                + (flinkS3.isEmpty() ? "" : " --flink-conf " + flinkConf));
        System.out.println("[standins] up until Ctrl-C (their data lives in memory or temporary directories)");
        new CountDownLatch(1).await();
    }

    /** The buckets of s3:// paths (event log, dead letters) the job writes to. */
    static Set<String> bucketsOf(JobConfig config) {
        Set<String> buckets = new LinkedHashSet<>();
        for (String path : new String[] {config.eventLog().path(), config.deadLetterPath()}) {
            if (path != null && (path.startsWith("s3://") || path.startsWith("s3a://"))) {
                buckets.add(URI.create(path).getHost());
            }
        }
        return buckets;
    }

    private static List<DynamoDbTableMapping> distinctTargets(List<DynamoDbTableMapping> mappings) {
        Map<String, DynamoDbTableMapping> byTarget = new LinkedHashMap<>();
        mappings.forEach(m -> byTarget.putIfAbsent(m.targetTable(), m));
        return new ArrayList<>(byTarget.values());
    }

    /** The repository's flink-conf with the S3 endpoint's settings added, next to the configuration file. */
    private static Path writeFlinkConf(Path configFile, Map<String, String> s3) throws Exception {
        Path dir = configFile.resolveSibling(
                configFile.getFileName().toString().replaceFirst("\\.json$", "") + ".standins.flink-conf");
        Files.createDirectories(dir);
        Path base = Path.of(System.getProperty("tributary.flink-conf", "flink-conf"), "config.yaml");
        StringBuilder yaml = new StringBuilder(Files.isRegularFile(base) ? Files.readString(base) : "");
        yaml.append("\n# Added by ./tributary standins: the S3-compatible stand-in.\n");
        new TreeMap<>(s3)
                .forEach((key, value) ->
                        yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(dir.resolve("config.yaml"), yaml.toString());
        return dir;
    }

    private static String json(Map<String, Map<String, String>> groups) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode root = mapper.createArrayNode();
        groups.forEach((id, map) -> {
            ObjectNode group = root.addObject();
            group.put("PropertyGroupId", id);
            ObjectNode props = group.putObject("PropertyMap");
            map.forEach(props::put);
        });
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("[standins] stopping " + c + ": " + e.getMessage());
            }
        }
    }
}
