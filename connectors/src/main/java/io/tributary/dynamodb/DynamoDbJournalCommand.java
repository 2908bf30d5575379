package io.tributary.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code journal}: prints changes from the DynamoDB event journal, oldest first: the history of one
 * row ({@code --row 'public.orders#42'}), the changes of one transaction ({@code --tx 1234}), or the
 * changes of one table in a commit-time window ({@code --changes-of public.orders --from … --until …}).
 * Text by default, one JSON object a line with {@code --json}. Reads only (Query); usable against
 * production with {@code dynamodb:Query} on the table and its indexes.
 *
 * <pre>
 * ./tributary journal --table tributary-journal --region eu-west-1 --row 'public.orders#42' [--json]
 * </pre>
 */
public final class DynamoDbJournalCommand {
    private static final String USAGE = "usage: [--table NAME] [--region R] [--endpoint URL] [--local] [--json]"
            + " (--row 'schema.table#key[#key…]' | --tx ID | --changes-of schema.table --from ISO-8601 --until ISO-8601)";

    private DynamoDbJournalCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the command; returns 0, or 2 on a usage error. */
    public static int run(String[] args, PrintStream out) {
        String table = "tributary-journal";
        String region = "us-east-1";
        String endpoint = null;
        boolean local = false;
        boolean json = false;
        String row = null;
        String tx = null;
        String changesOf = null;
        String from = null;
        String until = null;
        QueryRequest query;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--table":
                        table = required(args[i], value);
                        i++;
                        break;
                    case "--region":
                        region = required(args[i], value);
                        i++;
                        break;
                    case "--endpoint":
                        endpoint = required(args[i], value);
                        i++;
                        break;
                    case "--local":
                        local = true;
                        break;
                    case "--json":
                        json = true;
                        break;
                    case "--row":
                        row = required(args[i], value);
                        i++;
                        break;
                    case "--tx":
                        tx = required(args[i], value);
                        i++;
                        break;
                    case "--changes-of":
                        changesOf = required(args[i], value);
                        i++;
                        break;
                    case "--from":
                        from = required(args[i], value);
                        i++;
                        break;
                    case "--until":
                        until = required(args[i], value);
                        i++;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if ((row != null ? 1 : 0) + (tx != null ? 1 : 0) + (changesOf != null ? 1 : 0) != 1) {
                throw new IllegalArgumentException("give exactly one of --row, --tx and --changes-of");
            }
            if (row != null) {
                DynamoDbJournalLayout.parseRow(row); // says how to write a row key if this is none
                query = byRow(table, row);
            } else if (tx != null) {
                query = byTx(table, Long.parseUnsignedLong(tx));
            } else {
                if (from == null || until == null) {
                    throw new IllegalArgumentException(
                            "--changes-of needs --from and --until (ISO-8601, e.g." + " 2026-12-01T10:00:00Z)");
                }
                query = byTableTime(table, changesOf, Instant.parse(from), Instant.parse(until));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            out.println("journal: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        DynamoDbClientSettings.Builder client = DynamoDbClientSettings.builder(region);
        if (endpoint != null) {
            client.endpoint(endpoint);
        }
        if (local) {
            client.staticCredentials("local", "local");
        }
        try (DynamoDbClient dynamoDb = client.build().createSyncClient()) {
            print(query(dynamoDb, query), json, out);
        }
        return 0;
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    /** A row's history, strongly consistent, in position (commit) order. */
    public static QueryRequest byRow(String table, String row) {
        return QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#r = :r")
                .expressionAttributeNames(Map.of("#r", DynamoDbJournalLayout.ROW))
                .expressionAttributeValues(
                        Map.of(":r", AttributeValue.builder().s(row).build()))
                .build();
    }

    /** A transaction's changes from the by-transaction index, in position order. */
    public static QueryRequest byTx(String table, long txId) {
        return QueryRequest.builder()
                .tableName(table)
                .indexName(DynamoDbJournalLayout.BY_TX)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", DynamoDbJournalLayout.TX_ID))
                .expressionAttributeValues(Map.of(
                        ":t",
                        AttributeValue.builder().n(Long.toUnsignedString(txId)).build()))
                .build();
    }

    /** A table's changes committed in {@code [from, until]} (row prefix included in {@code tablePart}), in commit order. */
    public static QueryRequest byTableTime(String table, String tablePart, Instant from, Instant until) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":t", AttributeValue.builder().s(tablePart).build());
        values.put(
                ":a",
                AttributeValue.builder()
                        .s(DynamoDbAttributeValues.TIMESTAMPTZ.format(from))
                        .build());
        // '~' sorts after '#' and every hex digit, so items committed exactly at 'until' are in
        values.put(
                ":b",
                AttributeValue.builder()
                        .s(DynamoDbAttributeValues.TIMESTAMPTZ.format(until) + "~")
                        .build());
        return QueryRequest.builder()
                .tableName(table)
                .indexName(DynamoDbJournalLayout.BY_TABLE_TIME)
                .keyConditionExpression("#t = :t AND #c BETWEEN :a AND :b")
                .expressionAttributeNames(
                        Map.of("#t", DynamoDbJournalLayout.TABLE, "#c", DynamoDbJournalLayout.COMMIT_POSITION))
                .expressionAttributeValues(values)
                .build();
    }

    /** Every item the query returns, all pages. */
    public static List<Map<String, AttributeValue>> query(DynamoDbClient client, QueryRequest request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.queryPaginator(request).items().forEach(items::add);
        return items;
    }

    static void print(List<Map<String, AttributeValue>> items, boolean json, PrintStream out) {
        for (Map<String, AttributeValue> item : items) {
            if (json) {
                out.println(DynamoDbJournalJson.text(DynamoDbJournalJson.of(item)));
                continue;
            }
            StringBuilder line = new StringBuilder()
                    .append(text(item, DynamoDbJournalLayout.POSITION))
                    .append("  ")
                    .append(text(item, DynamoDbJournalLayout.COMMIT_TIME))
                    .append("  ")
                    .append(
                            item.containsKey(DynamoDbJournalLayout.TX_ID)
                                    ? "tx "
                                            + item.get(DynamoDbJournalLayout.TX_ID)
                                                    .n()
                                    : "snapshot")
                    .append("  ")
                    .append(text(item, DynamoDbJournalLayout.OP))
                    .append("  ")
                    .append(text(item, DynamoDbJournalLayout.ROW));
            for (String image : List.of(DynamoDbJournalLayout.OLD, DynamoDbJournalLayout.NEW)) {
                if (item.containsKey(image)) {
                    line.append("  ")
                            .append(image)
                            .append('=')
                            .append(DynamoDbJournalJson.text(DynamoDbJournalJson.of(item.get(image))));
                }
            }
            out.println(line);
        }
        if (!json) {
            out.println(items.size() + (items.size() == 1 ? " change" : " changes"));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? "-" : v.s();
    }
}
