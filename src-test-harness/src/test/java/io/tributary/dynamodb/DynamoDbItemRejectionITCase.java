package io.tributary.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tributary.dynamodb.DynamoDbErrorClassifier.Kind;
import io.tributary.dynamodb.DynamoDbErrorClassifier.Verdict;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.DynamoDbStandIn;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.HashMap;
import java.util.Map;

/**
 * The classifier against the messages DynamoDB Local really sends: each item-level rejection is a
 * dead letter, each rejection that every write of a wrong mapping would get is fatal. The texts seen
 * here are the ones {@code DynamoDbErrorClassifierTest} pins.
 */
class DynamoDbItemRejectionITCase {
    private static final String TABLE = "rejections";

    @RegisterExtension
    static final StandInExtension<DynamoDbStandIn> DYNAMODB = StandInExtension.dynamoDb();

    @BeforeAll
    static void createTable() {
        DYNAMODB.get()
                .client()
                .createTable(b -> b.tableName(TABLE)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder()
                                .attributeName("id")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                        .keySchema(KeySchemaElement.builder()
                                .attributeName("id")
                                .keyType(KeyType.HASH)
                                .build()));
    }

    private static Verdict put(Map<String, AttributeValue> item) {
        DynamoDbClient client = DYNAMODB.get().client();
        DynamoDbException e = catchThrowableOfType(
                () -> client.putItem(
                        PutItemRequest.builder().tableName(TABLE).item(item).build()),
                DynamoDbException.class);
        assertThat(e).as("DynamoDB Local accepted the item").isNotNull();
        return DynamoDbErrorClassifier.classify(e, TABLE);
    }

    private static Map<String, AttributeValue> item(String id, String attribute, AttributeValue value) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.builder().s(id).build());
        item.put(attribute, value);
        return item;
    }

    @Test
    void nestingDeeperThan32LevelsIsADeadLetter() {
        AttributeValue v = AttributeValue.builder().s("leaf").build();
        for (int i = 0; i < 40; i++) {
            v = AttributeValue.builder().m(Map.of("n", v)).build();
        }
        assertThat(put(item("deep", "doc", v)).kind()).isEqualTo(Kind.DEAD_LETTER);
    }

    @Test
    void emptyKeyValueIsADeadLetter() {
        Map<String, AttributeValue> item =
                Map.of("id", AttributeValue.builder().s("").build());
        assertThat(put(item).kind()).isEqualTo(Kind.DEAD_LETTER);
    }

    @Test
    void itemOver400KbIsADeadLetter() {
        assertThat(put(item(
                                "big",
                                "blob",
                                AttributeValue.builder()
                                        .s("x".repeat(410 * 1024))
                                        .build()))
                        .kind())
                .isEqualTo(Kind.DEAD_LETTER);
    }

    @Test
    void partitionKeyOver2048BytesIsADeadLetter() {
        Map<String, AttributeValue> item =
                Map.of("id", AttributeValue.builder().s("k".repeat(2049)).build());
        assertThat(put(item).kind()).isEqualTo(Kind.DEAD_LETTER);
    }

    @Test
    void numberOver38DigitsIsADeadLetter() {
        assertThat(put(item(
                                "digits",
                                "n",
                                AttributeValue.builder()
                                        .n("1" + "0".repeat(38) + "1")
                                        .build()))
                        .kind())
                .isEqualTo(Kind.DEAD_LETTER);
    }

    @Test
    void numberOutOfRangeIsADeadLetter() {
        assertThat(put(item("range", "n", AttributeValue.builder().n("1E+126").build()))
                        .kind())
                .isEqualTo(Kind.DEAD_LETTER);
        assertThat(put(item("tiny", "n", AttributeValue.builder().n("1E-131").build()))
                        .kind())
                .isEqualTo(Kind.DEAD_LETTER);
    }

    @Test
    void keyTypeMismatchIsFatalAndSaysWhatToFix() {
        Map<String, AttributeValue> item =
                Map.of("id", AttributeValue.builder().n("1").build());
        Verdict v = put(item);
        assertThat(v.kind()).isEqualTo(Kind.FATAL);
        assertThat(v.message()).contains("key schema");
    }

    @Test
    void deleteByAKeyOfTheWrongNameIsFatal() {
        DynamoDbException e = catchThrowableOfType(
                () -> DYNAMODB.get()
                        .client()
                        .deleteItem(b -> b.tableName(TABLE)
                                .key(Map.of(
                                        "pk", AttributeValue.builder().s("1").build()))),
                DynamoDbException.class);
        Verdict v = DynamoDbErrorClassifier.classify(e, TABLE);
        assertThat(v.kind()).isEqualTo(Kind.FATAL);
        assertThat(v.message()).contains("key schema");
    }

    @Test
    void missingKeyAttributeIsFatalAndSaysWhatToFix() {
        Map<String, AttributeValue> item =
                Map.of("pk", AttributeValue.builder().s("1").build());
        Verdict v = put(item);
        assertThat(v.kind()).isEqualTo(Kind.FATAL);
        assertThat(v.message()).contains("key schema");
    }
}
