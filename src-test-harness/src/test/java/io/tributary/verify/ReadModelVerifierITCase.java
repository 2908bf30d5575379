package io.tributary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dynamodb.DynamoDbChangeSinkWriter;
import io.tributary.dynamodb.DynamoDbSinkMetrics;
import io.tributary.dynamodb.DynamoDbSinkSettings;
import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.ChangeEvent;
import io.tributary.event.Op;
import io.tributary.event.Row;
import io.tributary.event.TableSchema;
import io.tributary.harness.StandInExtension;
import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.postgres.PostgresTableRows;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The verify command against real PostgreSQL tables and a read model in DynamoDB Local. */
class ReadModelVerifierITCase {
    @RegisterExtension
    static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();

    @RegisterExtension
    static final StandInExtension<DynamoDbStandIn> DYNAMODB = StandInExtension.dynamoDb();

    @Test
    void findsNoDifferenceInAFaithfulReadModelAndNamesEveryDifferenceAfterwards() throws Exception {
        String db = PG.get().createDatabase("verify_read_model");
        PG.get()
                .executeIn(
                        db,
                        "CREATE TABLE public.products (id bigint PRIMARY KEY, name text, price numeric(10,2), doc jsonb,"
                                + " tags text[], seen timestamptz, day date, raw bytea, ok boolean, ratio double precision,"
                                + " ref uuid, secret text)",
                        "CREATE TABLE public.order_lines (order_id int, line_no int, qty int, PRIMARY KEY (order_id, line_no))",
                        "INSERT INTO public.products SELECT g, 'p' || g, g * 1.5, ('{\"g\":' || g || ',\"a\":[1,\"x\",null]}')::jsonb,"
                                + " ARRAY['a','b'], timestamptz '2026-11-23 10:00:00.123456+00' + g * interval '1 minute',"
                                + " date '2026-11-23', decode('00ff', 'hex'), g % 2 = 0, g / 3.0,"
                                + " '0b7a3c1e-2f44-4c53-8d2e-6a2b9f4f1c11', 'hidden' FROM generate_series(1, 40) g",
                        "INSERT INTO public.order_lines SELECT g / 5, g % 5, g FROM generate_series(0, 29) g");
        List<DynamoDbTableMapping> mappings = List.of(
                ReadModelVerifyCommand.parseMapping(
                        "public.products=products-v;partition=id:N;exclude=secret;rename=name:title"),
                ReadModelVerifyCommand.parseMapping(
                        "public.order_lines=lines-v;partition=order_id:N;sort=line_no:N;tombstone"));
        DYNAMODB.get().createTables(mappings);
        fillReadModelThroughTheSink(db, mappings);

        assertThat(verify(db, mappings))
                .startsWith("0\n")
                .contains("public.products -> products-v: 40 rows, 40 items: OK")
                .contains("public.order_lines -> lines-v: 30 rows, 30 items: OK");

        PG.get()
                .executeIn(
                        db,
                        "UPDATE public.products SET price = 99.99 WHERE id = 7",
                        "DELETE FROM public.products WHERE id = 8",
                        "UPDATE public.order_lines SET qty = -1 WHERE order_id = 2 AND line_no = 3");
        DYNAMODB.get()
                .client()
                .putItem(r -> r.tableName("products-v")
                        .item(Map.of("id", AttributeValue.fromN("1000"), "title", AttributeValue.fromS("ghost"))));
        DYNAMODB.get().client().deleteItem(r -> r.tableName("products-v").key(Map.of("id", AttributeValue.fromN("9"))));

        String report = verify(db, mappings);
        assertThat(report)
                .startsWith("1\n")
                .contains("products-v: 39 rows, 40 items: DIFFERENT")
                .contains("1 missing in DynamoDB\n    id=9")
                .contains("2 not in PostgreSQL\n    id=1000\n    id=8\n")
                .contains("id=7: price is AttributeValue(N=10.5), expected AttributeValue(N=99.99)")
                .contains("order_id=2 line_no=3: qty is AttributeValue(N=13), expected AttributeValue(N=-1)")
                .contains("read model DIFFERS");
    }

    private static String verify(String db, List<DynamoDbTableMapping> mappings) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Connection c = PG.get().connect(db);
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            int exit = ReadModelVerifyCommand.run(mappings, c, DYNAMODB.get().client(), out);
            return exit + "\n" + bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes each table's rows as snapshot INSERTs through the sink writer, as the job would. */
    private static void fillReadModelThroughTheSink(String db, List<DynamoDbTableMapping> mappings) throws Exception {
        DynamoDbSinkSettings settings =
                DynamoDbSinkSettings.builder().mappings(mappings).build();
        try (Connection c = PG.get().connect(db);
                DynamoDbChangeSinkWriter writer = new DynamoDbChangeSinkWriter(
                        settings,
                        DYNAMODB.get().clientSettings().createClient(),
                        letter -> {
                            throw new IllegalStateException("unexpected " + letter);
                        },
                        new DynamoDbSinkMetrics(new UnregisteredMetricsGroup()),
                        null)) {
            for (DynamoDbTableMapping m : mappings) {
                List<Row> rows = new ArrayList<>();
                List<String> keys = new ArrayList<>(m.partitionKey().columns());
                m.sortKey().ifPresent(s -> keys.addAll(s.columns()));
                TableSchema schema = PostgresTableRows.read(c, m.sourceTable(), keys, rows::add);
                for (Row row : rows) {
                    writer.write(
                            ChangeEvent.builder()
                                    .schema(schema)
                                    .op(Op.INSERT)
                                    .after(row)
                                    .commitLsn(100)
                                    .snapshot(true)
                                    .build(),
                            null);
                }
            }
            writer.flush(true);
        }
        assertThat(DYNAMODB.get().scan("products-v"))
                .hasSize(40)
                .allSatisfy(item -> assertThat(item).containsKey("title").doesNotContainKey("secret"));
    }
}
