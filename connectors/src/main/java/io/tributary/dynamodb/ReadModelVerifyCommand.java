package io.tributary.dynamodb;

import io.tributary.event.TableId;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code verify-read-model}: compares PostgreSQL tables with the DynamoDB read model and exits
 * non-zero if anything differs (2 on a usage error). Usable against production: it reads with
 * plain JDBC and consistent DynamoDB scans and writes nothing.
 *
 * <pre>
 * java -cp tributary.jar io.tributary.dynamodb.ReadModelVerifyCommand \
 *   --jdbc-url jdbc:postgresql://host:5432/app --user reader --region eu-west-1 [--endpoint http://…] \
 *   --map 'public.orders=orders;partition=order_id:N' \
 *   --map 'public.order_lines=order_lines;partition=order_id:N;sort=line_no:N;exclude=note;rename=qty:quantity;tombstone'
 * </pre>
 * The password comes from the environment variable {@code PGPASSWORD}; AWS credentials from the
 * default chain (role, environment, profile).
 */
public final class ReadModelVerifyCommand {
    private ReadModelVerifyCommand() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the command; returns the exit code: 0 equal, 1 different, 2 usage error. */
    public static int run(String[] args, PrintStream out) throws Exception {
        String jdbcUrl = null;
        String user = System.getProperty("user.name");
        String region = "us-east-1";
        String endpoint = null;
        List<DynamoDbTableMapping> mappings = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--jdbc-url": jdbcUrl = value; i++; break;
                    case "--user": user = value; i++; break;
                    case "--region": region = value; i++; break;
                    case "--endpoint": endpoint = value; i++; break;
                    case "--map": mappings.add(parseMapping(value)); i++; break;
                    default: throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (jdbcUrl == null || mappings.isEmpty()) {
                throw new IllegalArgumentException("--jdbc-url and at least one --map are required");
            }
        } catch (RuntimeException e) {
            out.println("verify-read-model: " + e.getMessage());
            out.println("usage: --jdbc-url URL [--user U] [--region R] [--endpoint URL]"
                    + " --map 'schema.table=target;partition=col[,col…]:S|N|B[;sort=…][;exclude=a,b][;rename=a:b][;tombstone]'…");
            return 2;
        }
        DynamoDbClientSettings.Builder client = DynamoDbClientSettings.builder(region);
        if (endpoint != null) {
            client.endpoint(endpoint);
        }
        String password = System.getenv("PGPASSWORD");
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                DynamoDbClient dynamoDb = client.build().createSyncClient()) {
            return run(mappings, c, dynamoDb, out);
        }
    }

    /** Verifies {@code mappings}; 0 if the read model equals the tables, 1 otherwise. */
    public static int run(List<DynamoDbTableMapping> mappings, Connection c, DynamoDbClient dynamoDb, PrintStream out)
            throws Exception {
        return new ReadModelVerifier(c, dynamoDb, out, 20).verifyAll(mappings) ? 0 : 1;
    }

    /** Parses {@code schema.table=target;partition=cols:TYPE;sort=cols:TYPE;exclude=a,b;rename=a:b;tombstone}. */
    public static DynamoDbTableMapping parseMapping(String spec) {
        if (spec == null || !spec.contains("=")) {
            throw new IllegalArgumentException("mapping '" + spec + "' must start with schema.table=target");
        }
        String[] parts = spec.split(";");
        int eq = parts[0].indexOf('=');
        DynamoDbTableMapping.Builder b = DynamoDbTableMapping.builder(TableId.parse(parts[0].substring(0, eq)))
                .targetTable(parts[0].substring(eq + 1));
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int at = part.indexOf('=');
            String name = at < 0 ? part : part.substring(0, at);
            String value = at < 0 ? "" : part.substring(at + 1);
            switch (name) {
                case "partition":
                case "sort": {
                    int colon = value.lastIndexOf(':');
                    String[] columns = (colon < 0 ? value : value.substring(0, colon)).split(",");
                    ScalarAttributeType type = colon < 0 ? ScalarAttributeType.S
                            : ScalarAttributeType.fromValue(value.substring(colon + 1).toUpperCase(Locale.ROOT));
                    String attribute = columns.length == 1 ? columns[0] : name.equals("partition") ? "pk" : "sk";
                    if (name.equals("partition")) {
                        b.partitionKey(attribute, type, columns);
                    } else {
                        b.sortKey(attribute, type, columns);
                    }
                    break;
                }
                case "exclude":
                    b.excludeColumns(value.split(","));
                    break;
                case "rename":
                    for (String pair : value.split(",")) {
                        String[] ab = pair.split(":");
                        b.rename(ab[0], ab[1]);
                    }
                    break;
                case "tombstone":
                    b.tombstone("_deleted", "_expires_at", Duration.ofDays(7));
                    break;
                default:
                    throw new IllegalArgumentException("unknown mapping part '" + part + "' in '" + spec + "'");
            }
        }
        return b.build();
    }
}
