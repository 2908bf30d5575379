package io.tributary.verify;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.dynamodb.DynamoDbClientSettings;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.postgres.PostgresConnectionProperties;
import io.tributary.postgres.PostgresRootCertificates;
import io.tributary.postgres.PostgresSslMode;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code verify-read-model}: compares PostgreSQL tables with the DynamoDB read model and exits
 * non-zero if anything differs (2 on a usage error). Usable against production: it reads with
 * plain JDBC and consistent DynamoDB scans and writes nothing.
 *
 * <pre>
 * java -cp tributary.jar io.tributary.verify.ReadModelVerifyCommand \
 *   --jdbc-url jdbc:postgresql://host:5432/app --user reader --region eu-west-1 [--endpoint http://…] \
 *   [--ssl-mode verify-full --ssl-root-cert global-bundle.pem] \
 *   --map 'public.orders=orders;partition=order_id:N' \
 *   --map 'public.order_lines=order_lines;partition=order_id:N;sort=line_no:N;exclude=note;rename=qty:quantity;tombstone'
 * </pre>
 * The password comes from the environment variable {@code PGPASSWORD}; AWS credentials from the
 * default chain (role, environment, profile); the region from {@code --region}, else the one the
 * environment names ({@code AWS_REGION}, profile, instance metadata). TLS as the job's {@code ssl.mode} and
 * {@code ssl.root-cert} (a file or the PEM itself; {@link PostgresConnectionProperties#tls}): the mode defaults to
 * {@code verify-full} when a root certificate is given, else to {@code prefer}.
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
        String region = null;
        String endpoint = null;
        String sslMode = null;
        String sslRootCert = null;
        List<DynamoDbTableMapping> mappings = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--jdbc-url":
                        jdbcUrl = value;
                        i++;
                        break;
                    case "--user":
                        user = value;
                        i++;
                        break;
                    case "--region":
                        region = value;
                        i++;
                        break;
                    case "--endpoint":
                        endpoint = value;
                        i++;
                        break;
                    case "--ssl-mode":
                        sslMode = value;
                        i++;
                        break;
                    case "--ssl-root-cert":
                        sslRootCert = value;
                        i++;
                        break;
                    case "--map":
                        mappings.add(parseMapping(value));
                        i++;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (jdbcUrl == null || mappings.isEmpty()) {
                throw new IllegalArgumentException("--jdbc-url and at least one --map are required");
            }
        } catch (RuntimeException e) {
            out.println("verify-read-model: " + e.getMessage());
            out.println(
                    "usage: --jdbc-url URL [--user U] [--region R] [--endpoint URL]"
                            + " [--ssl-mode disable|prefer|require|verify-ca|verify-full] [--ssl-root-cert FILE|PEM]"
                            + " --map 'schema.table=target;partition=col[,col…]:S|N|B[;sort=…][;exclude=a,b][;rename=a:b][;tombstone]'…");
            return 2;
        }
        Properties props;
        try {
            props = connectionProperties(user, System.getenv("PGPASSWORD"), sslMode, sslRootCert);
        } catch (IllegalArgumentException | IOException e) {
            out.println("verify-read-model: " + e.getMessage());
            return 2;
        }
        try {
            region = AwsRegionResolver.runtime().resolve(region, "--region");
        } catch (IllegalArgumentException e) {
            out.println("verify-read-model: " + e.getMessage());
            return 2;
        }
        DynamoDbClientSettings.Builder client = DynamoDbClientSettings.builder(region);
        if (endpoint != null) {
            client.endpoint(endpoint);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, props);
                DynamoDbClient dynamoDb = client.build().createSyncClient()) {
            return run(mappings, c, dynamoDb, out);
        }
    }

    /** The driver properties: user, password (may be null) and TLS as the job sets them. */
    static Properties connectionProperties(String user, String password, String sslMode, String sslRootCert)
            throws IOException {
        String pem = null;
        if (sslRootCert != null) {
            pem = PostgresRootCertificates.isPem(sslRootCert)
                    ? sslRootCert
                    : new String(Files.readAllBytes(Path.of(sslRootCert)), StandardCharsets.UTF_8);
            PostgresRootCertificates.parse(pem, "--ssl-root-cert");
        }
        PostgresSslMode mode = sslMode != null
                ? PostgresSslMode.parse(sslMode)
                : pem != null ? PostgresSslMode.VERIFY_FULL : PostgresSslMode.PREFER;
        return PostgresConnectionProperties.jdbc(user, password, mode, pem, "tributary-verify-read-model");
    }

    /** Verifies {@code mappings}; 0 if the read model equals the tables, 1 otherwise. */
    public static int run(List<DynamoDbTableMapping> mappings, Connection c, DynamoDbClient dynamoDb, PrintStream out)
            throws Exception {
        return new ReadModelVerifier(c, dynamoDb, out, 20).verifyAll(mappings) ? 0 : 1;
    }

    /** @see DynamoDbTableMapping#parse(String) */
    public static DynamoDbTableMapping parseMapping(String spec) {
        return DynamoDbTableMapping.parse(spec);
    }
}
