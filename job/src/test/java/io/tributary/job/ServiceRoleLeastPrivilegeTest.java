package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The service execution role in kinesis-analytics/template.yaml allows exactly what the job does:
 * every AWS API operation the main code of connectors/ and job/ calls on an SDK client (found by
 * {@link AwsSdkCallScanner}), plus the actions below that something other than our SDK calls
 * needs, each with its reason. A grant nobody needs, or a call the role does not allow, fails here.
 */
class ServiceRoleLeastPrivilegeTest {
    private static final Path TEMPLATE = Path.of("..", "kinesis-analytics", "template.yaml");
    /** The module runs with job/ as its working directory. */
    private static final Path[] MAIN_SOURCES = {
        Path.of("..", "connectors", "src", "main", "java"), Path.of("src", "main", "java")
    };

    /** Granted for callers other than our SDK code; each must stay granted. */
    private static final Map<String, String> PLATFORM = new TreeMap<>(Map.ofEntries(
            // Managed Service for Apache Flink reads the application jar with the role.
            Map.entry("s3:GetObjectVersion", "MSF reads the application jar (ApplicationCodeConfiguration)"),
            // Flink's S3 file system (flink-s3-fs-hadoop, Hadoop S3A) writes the event log and the dead
            // letters; Hadoop's list of S3A write permissions (hadoop-aws assumed_roles.md, "Write Access
            // Permissions"): Get, Put, Delete, ListBucket, ListBucketMultipartUploads, AbortMultipartUpload.
            // Not s3:GetBucketLocation (in flink-s3-fs-hadoop 1.20.1 only the S3Guard tools call it) nor
            // s3:ListMultipartUploadParts (only the SDK's TransferManager resuming a paused upload calls
            // ListParts; Flink's recoverable writer keeps the part ETags in its state).
            Map.entry(
                    "s3:GetObject",
                    "MSF reads the application jar; S3A reads objects back (recoverable writer"
                            + " on restore; the replay job reads the event log)"),
            Map.entry(
                    "s3:PutObject",
                    "S3A writes event-log parts and dead letters (multipart Create/UploadPart/"
                            + "Complete are s3:PutObject) and the start-up write probe (FileSystemPathCheck)"),
            Map.entry("s3:DeleteObject", "S3A deletes the start-up write probe and temporary objects"),
            Map.entry("s3:ListBucket", "S3A's getFileStatus/listStatus list the prefix"),
            Map.entry("s3:ListBucketMultipartUploads", "S3A lists pending multipart uploads"),
            Map.entry("s3:AbortMultipartUpload", "S3A aborts a multipart upload it cannot complete"),
            // MSF in a VPC: the exact list of docs.aws.amazon.com/managed-flink/latest/java/vpc-permissions.html
            Map.entry("ec2:DescribeVpcs", "MSF VPC configuration"),
            Map.entry("ec2:DescribeSubnets", "MSF VPC configuration"),
            Map.entry("ec2:DescribeSecurityGroups", "MSF VPC configuration"),
            Map.entry("ec2:DescribeDhcpOptions", "MSF VPC configuration"),
            Map.entry("ec2:CreateNetworkInterface", "MSF creates the application's network interfaces"),
            Map.entry("ec2:CreateNetworkInterfacePermission", "MSF creates the application's network interfaces"),
            Map.entry("ec2:DescribeNetworkInterfaces", "MSF creates the application's network interfaces"),
            Map.entry("ec2:DeleteNetworkInterface", "MSF deletes the application's network interfaces"),
            // MSF delivers the application's log to CloudWatch Logs with the role (CloudWatchLoggingOption).
            Map.entry("logs:DescribeLogGroups", "MSF CloudWatch logging option"),
            Map.entry("logs:DescribeLogStreams", "MSF CloudWatch logging option"),
            Map.entry("logs:PutLogEvents", "MSF CloudWatch logging option")));

    /** May be granted, for a feature the deployment turns on; not an SDK call of ours either. */
    private static final Map<String, String> CONDITIONAL = Map.of(
            "kms:Decrypt",
                    "Secrets Manager decrypts a secret under a customer-managed key with the caller's"
                            + " permission (granted only when the template names such a key)",
            "rds-db:connect",
                    "IAM database authentication: RDS checks it when the job logs in with a token"
                            + " (granted only when IAM authentication is on)");

    /** Run by an operator with their own credentials, never by the job's role. */
    private static final Map<String, String> OPERATOR_COMMANDS = Map.of(
            "io/tributary/dynamodb/ReadModelVerifier.java", "verify-read-model command",
            "io/tributary/dynamodb/ReadModelVerifyCommand.java", "verify-read-model command",
            "io/tributary/dynamodb/DynamoDbJournalCommand.java", "journal command (reads the journal)");

    @Test
    void roleGrantsExactlyWhatTheJobCalls() throws Exception {
        Map<String, Set<String>> called = jobCalls();
        Set<String> granted = grantedActions();

        Map<String, Set<String>> notGranted = new TreeMap<>(called);
        notGranted.keySet().removeAll(granted);
        assertThat(notGranted)
                .as("the job calls these (action → files) but ServiceExecutionRole in"
                        + " kinesis-analytics/template.yaml does not allow them: add them to the role")
                .isEmpty();

        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(called.keySet());
        unused.removeAll(PLATFORM.keySet());
        unused.removeAll(CONDITIONAL.keySet());
        assertThat(unused)
                .as("the role allows these but no code of the job calls them: remove them from the"
                        + " template, or, if the platform needs them, add them to PLATFORM here with the reason")
                .isEmpty();

        Set<String> platformNotGranted = new TreeSet<>(PLATFORM.keySet());
        platformNotGranted.removeAll(granted);
        assertThat(platformNotGranted)
                .as("the platform needs these (see PLATFORM) but the role no longer allows" + " them")
                .isEmpty();
    }

    /** The calls the scan finds are the SDK operations; no statement widens them. */
    @Test
    void roleHasNoWildcardsNegationsOrManagedPolicies() throws Exception {
        JsonNode role = template().at("/Resources/ServiceExecutionRole/Properties");
        assertThat(role.has("ManagedPolicyArns"))
                .as("a managed policy grants actions this test cannot see")
                .isFalse();
        for (JsonNode statement : statements()) {
            assertThat(statement.has("NotAction"))
                    .as("NotAction allows everything else: %s", statement)
                    .isFalse();
            assertThat(statement.path("Effect").asText()).as("%s", statement).isEqualTo("Allow");
        }
        assertThat(grantedActions())
                .allSatisfy(a -> assertThat(a).doesNotContain("*").matches("[a-z0-9-]+:[A-Za-z]+"));
    }

    /** The scan finds calls in code, in either SDK call form and paginators, and not in comments or messages. */
    @Test
    void scannerFindsCallsNotComments(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("Sample.java"),
                String.join(
                        "\n",
                        "import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;",
                        "import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;",
                        "/** {@code client.deleteTable(…)} in a comment is no call. */",
                        "class Sample {",
                        "  void f(DynamoDbAsyncClient client, KinesisAsyncClient kinesis) {",
                        "    client.updateItem(request);",
                        "    client.describeTable(b -> b.tableName(\"t\")); // client.createTable(x)",
                        "    client.scanPaginator(scan);",
                        "    String s = \"kinesis.deleteStream(\";",
                        "    kinesis",
                        "        .putRecords(records);",
                        "  }",
                        "}"));
        assertThat(AwsSdkCallScanner.actionsCalled(dir).keySet())
                .containsExactly(
                        "dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:UpdateItem", "kinesis:PutRecords");
    }

    /** What the job's code calls, operator commands left out. */
    private static Map<String, Set<String>> jobCalls() {
        Map<String, Set<String>> called = new TreeMap<>();
        AwsSdkCallScanner.actionsCalled(MAIN_SOURCES).forEach((action, files) -> {
            Set<String> byJob = new TreeSet<>(files);
            byJob.removeIf(f -> OPERATOR_COMMANDS.containsKey(f.replace('\\', '/')));
            if (!byJob.isEmpty()) {
                called.put(action, byJob);
            }
        });
        assertThat(called)
                .as("the scan found no SDK call at all: is the source path right?")
                .isNotEmpty();
        return called;
    }

    private static Set<String> grantedActions() throws Exception {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : statements()) {
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(a -> actions.add(a.asText()));
            } else if (!action.isMissingNode()) {
                actions.add(action.asText());
            }
        }
        return actions;
    }

    /**
     * Every statement of the role's inline policies and of any AWS::IAM::Policy, also inside
     * {@code !If [condition, statement, !Ref AWS::NoValue]} (which reads as a list).
     */
    private static List<JsonNode> statements() throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode resource : template().path("Resources")) {
            String type = resource.path("Type").asText();
            if (type.equals("AWS::IAM::Role")) {
                resource.at("/Properties/Policies").forEach(p -> documents.add(p.path("PolicyDocument")));
            } else if (type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy")) {
                documents.add(resource.at("/Properties/PolicyDocument"));
            }
        }
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode document : documents) {
            collectStatements(document.path("Statement"), statements);
        }
        return statements;
    }

    private static void collectStatements(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(n -> collectStatements(n, out));
        } else if (node.isObject() && (node.has("Action") || node.has("NotAction"))) {
            out.add(node);
        }
    }

    private static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
    }
}
