package io.tributary.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The read model's start-up check against a fake DescribeTable: each way a table can be unfit, and its fix. */
class DynamoDbTableCheckTest {
    private static final DynamoDbTableMapping ORDERS =
            DynamoDbTableMapping.parse("public.orders=orders;partition=id:N");
    private static final DynamoDbTableMapping LINES =
            DynamoDbTableMapping.parse("public.order_lines=order_lines;partition=order_id:N;sort=line_no:N");

    /** Answers DescribeTable from a map of table descriptions; a missing name is ResourceNotFoundException. */
    static final class FakeTables implements DynamoDbAsyncClient {
        final Map<String, TableDescription> tables = new HashMap<>();
        final List<String> described = new ArrayList<>();
        RuntimeException failure;
        boolean closed;

        FakeTables table(
                String name, TableStatus status, String hash, String hashType, String range, String rangeType) {
            TableDescription.Builder b =
                    TableDescription.builder().tableName(name).tableStatus(status);
            List<KeySchemaElement> keys = new ArrayList<>();
            List<AttributeDefinition> defs = new ArrayList<>();
            keys.add(KeySchemaElement.builder()
                    .attributeName(hash)
                    .keyType(KeyType.HASH)
                    .build());
            defs.add(AttributeDefinition.builder()
                    .attributeName(hash)
                    .attributeType(hashType)
                    .build());
            if (range != null) {
                keys.add(KeySchemaElement.builder()
                        .attributeName(range)
                        .keyType(KeyType.RANGE)
                        .build());
                defs.add(AttributeDefinition.builder()
                        .attributeName(range)
                        .attributeType(rangeType)
                        .build());
            }
            tables.put(name, b.keySchema(keys).attributeDefinitions(defs).build());
            return this;
        }

        @Override
        public CompletableFuture<DescribeTableResponse> describeTable(DescribeTableRequest request) {
            described.add(request.tableName());
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            TableDescription t = tables.get(request.tableName());
            if (t == null) {
                return CompletableFuture.failedFuture(ResourceNotFoundException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ResourceNotFoundException")
                                .errorMessage("Cannot do operations on a non-existent table")
                                .build())
                        .build());
            }
            return CompletableFuture.completedFuture(
                    DescribeTableResponse.builder().table(t).build());
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static List<String> check(FakeTables fake, DynamoDbTableMapping... mappings) {
        return DynamoDbTableCheck.run(List.of(mappings), () -> fake);
    }

    @Test
    void tablesWithTheMappingsKeysPass() {
        FakeTables fake = new FakeTables()
                .table("orders", TableStatus.ACTIVE, "id", "N", null, null)
                .table("order_lines", TableStatus.UPDATING, "order_id", "N", "line_no", "N");
        assertThat(check(fake, ORDERS, LINES)).isEmpty();
        assertThat(fake.described).containsExactly("orders", "order_lines");
        assertThat(fake.closed).isTrue();
    }

    @Test
    void missingTableSaysToCreateItWithTheMappingsKeys() {
        List<String> problems = check(new FakeTables(), ORDERS);
        assertThat(problems)
                .singleElement()
                .asString()
                .contains("DynamoDB table orders")
                .contains("does not exist")
                .contains("create it with partition id:N, sort none")
                .contains("'sink.dynamodb'");
    }

    @Test
    void keyTypeNameAndSortKeyMismatchesAreEachReported() {
        FakeTables fake = new FakeTables()
                .table("orders", TableStatus.ACTIVE, "id", "S", null, null)
                .table("order_lines", TableStatus.ACTIVE, "order_id", "N", null, null);
        List<String> problems = check(fake, ORDERS, LINES);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0))
                .contains("has the key schema partition id:S, sort none")
                .contains("its mapping writes partition id:N, sort none")
                .contains("every write would fail");
        assertThat(problems.get(1))
                .contains("partition order_id:N, sort none")
                .contains("partition order_id:N, sort line_no:N");
        FakeTables renamed = new FakeTables().table("orders", TableStatus.ACTIVE, "pk", "N", null, null);
        assertThat(check(renamed, ORDERS)).singleElement().asString().contains("partition pk:N");
    }

    @Test
    void tableNotActiveIsReported() {
        FakeTables fake = new FakeTables().table("orders", TableStatus.CREATING, "id", "N", null, null);
        assertThat(check(fake, ORDERS)).singleElement().asString().contains("is CREATING, not ACTIVE");
    }

    @Test
    void refusedCredentialsSayWhichPermissions() {
        FakeTables fake = new FakeTables();
        fake.failure = DynamoDbErrorClassifierTest.service(
                "UnrecognizedClientException", 400, "The security token included in the request is invalid.");
        assertThat(check(fake, ORDERS))
                .singleElement()
                .asString()
                .contains("refused the job's credentials")
                .contains("dynamodb:DescribeTable");
    }
}
