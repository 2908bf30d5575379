package io.tributary.dynamodb;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The journal's start-up check (DescribeTable): the table exists and is ACTIVE, its key schema is
 * {@code row:S} + {@code position:S}, and both indexes exist with their keys and project every
 * attribute. A wrong key schema would fail every write, and a missing index would leave the journal
 * written but not queryable, so both stop the job before it touches the database.
 */
public final class DynamoDbJournalTableCheck {
    private static final long TIMEOUT_SECONDS = 120;
    private static final String GROUP = "property group 'sink.dynamodb-journal'";

    private DynamoDbJournalTableCheck() {}

    /** Every problem with the journal table, empty if none. */
    public static List<String> run(String table, DynamoDbClientProvider clients) {
        try (DynamoDbAsyncClient client = clients.create()) {
            TableDescription description = client.describeTable(b -> b.tableName(table))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .table();
            return problems(table, description);
        } catch (ExecutionException e) {
            return List.of(problem(table, e.getCause()));
        } catch (TimeoutException e) {
            return List.of(
                    "DynamoDB journal table " + table + " did not answer DescribeTable within " + TIMEOUT_SECONDS
                            + " s: check the network route to DynamoDB and 'region'/'endpoint' in property group 'sink.dynamodb'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted while checking DynamoDB journal table " + table);
        }
    }

    /** What differs between {@code description} and the layout of {@link DynamoDbJournalLayout#createTableRequest}. */
    static List<String> problems(String table, TableDescription description) {
        String where = "DynamoDB journal table " + table;
        List<String> problems = new ArrayList<>();
        if (description.tableStatus() != TableStatus.ACTIVE && description.tableStatus() != TableStatus.UPDATING) {
            problems.add(where + " is " + description.tableStatusAsString() + ", not ACTIVE: wait until it is ACTIVE");
            return problems;
        }
        CreateTableRequest expected = DynamoDbJournalLayout.createTableRequest(table);
        Map<String, String> types = description.attributeDefinitions().stream()
                .collect(Collectors.toMap(
                        AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        Map<String, String> expectedTypes = expected.attributeDefinitions().stream()
                .collect(Collectors.toMap(
                        AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        String keys = describe(description.keySchema(), types);
        String wantKeys = describe(expected.keySchema(), expectedTypes);
        if (!keys.equals(wantKeys)) {
            problems.add(where + " has the key schema " + keys + " but the journal writes " + wantKeys
                    + ": every write would fail. " + fix(table));
        }
        for (GlobalSecondaryIndex want : expected.globalSecondaryIndexes()) {
            String wantIndex = describe(want.keySchema(), expectedTypes);
            GlobalSecondaryIndexDescription found = description.globalSecondaryIndexes().stream()
                    .filter(i -> i.indexName().equals(want.indexName()))
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                problems.add(where + " has no global secondary index " + want.indexName() + " (" + wantIndex
                        + ", projection ALL): the journal would be written but not queryable by "
                        + (want.indexName().equals(DynamoDbJournalLayout.BY_TX) ? "transaction" : "table and time")
                        + ". Add it with UpdateTable, or " + fix(table).toLowerCase(Locale.ROOT));
                continue;
            }
            String index = describe(found.keySchema(), types);
            if (!index.equals(wantIndex)
                    || found.projection() == null
                    || found.projection().projectionType() != ProjectionType.ALL) {
                problems.add(where + ": index " + want.indexName() + " is " + index + ", projection "
                        + (found.projection() == null ? "?" : found.projection().projectionTypeAsString())
                        + " but must be " + wantIndex + ", projection ALL. Delete and re-add the index, or "
                        + fix(table).toLowerCase(Locale.ROOT));
            }
        }
        return problems;
    }

    private static String fix(String table) {
        return "Create the table as docs/formats/README.md (\"DynamoDB event journal\") shows, or point 'table' of "
                + GROUP + " at such a table (now '" + table + "')";
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

    static String problem(String table, Throwable t) {
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code = e.awsErrorDetails() == null
                    ? ""
                    : String.valueOf(e.awsErrorDetails().errorCode());
            String text = e.awsErrorDetails() == null
                    ? String.valueOf(e.getMessage())
                    : e.awsErrorDetails().errorMessage();
            if ("ResourceNotFoundException".equals(code)) {
                return "DynamoDB journal table " + table + " does not exist (or is in another region or account): "
                        + fix(table) + " (" + text + ")";
            }
            if (e.statusCode() == 403
                    || code.contains("AccessDenied")
                    || code.contains("UnrecognizedClient")
                    || code.contains("Signature")
                    || code.contains("Token")) {
                return "DynamoDB refused the job's credentials on journal table " + table + " (" + code + "): grant the"
                        + " job's role dynamodb:DescribeTable and dynamodb:BatchWriteItem on it, or fix the credentials ("
                        + text + ")";
            }
            return "DynamoDB journal table " + table + ": DescribeTable failed with " + code + " (" + e.statusCode()
                    + "): " + text;
        }
        if (t instanceof SdkClientException) {
            return "cannot reach DynamoDB for journal table " + table + ": " + t.getMessage() + ": check the AWS"
                    + " credentials, the network route to DynamoDB, and 'region'/'endpoint' in property group 'sink.dynamodb'";
        }
        return "DynamoDB journal table " + table + ": DescribeTable failed: " + t;
    }
}
