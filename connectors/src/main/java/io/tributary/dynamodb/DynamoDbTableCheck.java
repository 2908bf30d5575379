package io.tributary.dynamodb;

import io.tributary.dynamodb.DynamoDbTableMapping.KeyAttribute;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The start-up check of the read model (DescribeTable per mapped table): each target table exists,
 * is ACTIVE (or UPDATING, which still takes writes), and has exactly the key schema its mapping
 * writes, names and types. A mismatch would make every write fail with a ValidationException, so it
 * is caught here, before the job touches the database, with a message that says what to fix.
 */
public final class DynamoDbTableCheck {
    private static final long TIMEOUT_SECONDS = 120;

    private DynamoDbTableCheck() {}

    /** Every problem found with the tables of {@code mappings}, empty if none; {@code clients} makes the client. */
    public static List<String> run(List<DynamoDbTableMapping> mappings, DynamoDbClientProvider clients) {
        List<String> problems = new ArrayList<>();
        try (DynamoDbAsyncClient client = clients.create()) {
            for (DynamoDbTableMapping mapping : mappings) {
                check(client, mapping).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static Optional<String> check(DynamoDbAsyncClient client, DynamoDbTableMapping mapping) {
        String table = mapping.targetTable();
        try {
            TableDescription description = client.describeTable(b -> b.tableName(table))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .table();
            return keySchemaProblem(mapping, description);
        } catch (ExecutionException e) {
            return Optional.of(problem(mapping, e.getCause()));
        } catch (TimeoutException e) {
            return Optional.of("DynamoDB table " + table + " did not answer DescribeTable within " + TIMEOUT_SECONDS
                    + " s: check the network route to DynamoDB (NAT gateway or VPC endpoint) and 'region'/'endpoint'"
                    + " in property group 'sink.dynamodb'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking DynamoDB table " + table);
        }
    }

    /** What differs between the table's status and key schema and what {@code mapping} writes, or empty. */
    static Optional<String> keySchemaProblem(DynamoDbTableMapping mapping, TableDescription table) {
        String where = "DynamoDB table " + mapping.targetTable() + " (mapped from " + mapping.sourceTable() + ")";
        if (table.tableStatus() != TableStatus.ACTIVE && table.tableStatus() != TableStatus.UPDATING) {
            return Optional.of(where + " is " + table.tableStatusAsString()
                    + ", not ACTIVE: wait until it is ACTIVE, or" + " create it again if it is being deleted");
        }
        Map<String, String> types = table.attributeDefinitions().stream()
                .collect(Collectors.toMap(
                        AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        String actual = describe(table.keySchema(), types);
        String expected = describe(mapping);
        if (actual.equals(expected)) {
            return Optional.empty();
        }
        return Optional.of(where + " has the key schema " + actual + " but its mapping writes " + expected
                + ": every write would fail. Fix 'partition'/'sort' of this table's entry in 'tables' of property group"
                + " 'sink.dynamodb' to match the table, or create the table with the mapping's keys");
    }

    private static String describe(List<KeySchemaElement> keys, Map<String, String> types) {
        String hash = "none";
        String range = "none";
        for (KeySchemaElement k : keys) {
            String text = k.attributeName() + ":" + types.getOrDefault(k.attributeName(), "?");
            if (k.keyType() == KeyType.HASH) {
                hash = text;
            } else {
                range = text;
            }
        }
        return "partition " + hash + ", sort " + range;
    }

    private static String describe(DynamoDbTableMapping mapping) {
        KeyAttribute p = mapping.partitionKey();
        return "partition " + p.name() + ":" + p.type() + ", sort "
                + mapping.sortKey().map(s -> s.name() + ":" + s.type()).orElse("none");
    }

    static String problem(DynamoDbTableMapping mapping, Throwable t) {
        String table = mapping.targetTable();
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code = e.awsErrorDetails() == null
                    ? ""
                    : String.valueOf(e.awsErrorDetails().errorCode());
            String text = e.awsErrorDetails() == null
                    ? String.valueOf(e.getMessage())
                    : e.awsErrorDetails().errorMessage();
            if ("ResourceNotFoundException".equals(code)) {
                return "DynamoDB table " + table + " (mapped from " + mapping.sourceTable()
                        + ") does not exist (or is in"
                        + " another region or account): create it with " + describe(mapping) + ", or fix the target"
                        + " table in 'tables' of property group 'sink.dynamodb' (" + text + ")";
            }
            if (e.statusCode() == 403
                    || code.contains("AccessDenied")
                    || code.contains("UnrecognizedClient")
                    || code.contains("Signature")
                    || code.contains("Token")) {
                return "DynamoDB refused the job's credentials on table " + table + " (" + code + "): grant the job's"
                        + " role dynamodb:DescribeTable, dynamodb:PutItem and dynamodb:DeleteItem on it, or fix the"
                        + " credentials (" + text + ")";
            }
            return "DynamoDB table " + table + ": DescribeTable failed with " + code + " (" + e.statusCode() + "): "
                    + text;
        }
        if (t instanceof SdkClientException) {
            return "cannot reach DynamoDB for table " + table + ": " + t.getMessage()
                    + ": check the AWS credentials the"
                    + " job runs with, the network route to DynamoDB, and 'region'/'endpoint' in property group"
                    + " 'sink.dynamodb'";
        }
        return "DynamoDB table " + table + ": DescribeTable failed: " + t;
    }
}
