package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.job.config.ConfigException;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The read model's mappings as property groups {@code sink.dynamodb.tables}, {@code .2}, … (one key per table):
 * parsed by the rules of the deprecated {@code tables} string, within Managed Flink's limits, checked against the
 * captured tables.
 */
class DynamoDbMappingGroupsTest {
    private static final String RICH = "orders_rm;partition=tenant,id:S;sort=line:N;exclude=secret,notes;"
            + "rename=total:amount,name:title;tombstone;truncate=dead-letter";

    private static Map<String, Map<String, String>> groups() {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put(
                "source.postgres",
                new HashMap<>(Map.of(
                        "hostname",
                        "db",
                        "database",
                        "shop",
                        "username",
                        "cdc",
                        "password",
                        "pw",
                        "tables.include",
                        "public\\..*")));
        groups.put("sink.eventlog", new HashMap<>(Map.of("path", "s3://events/log")));
        groups.put("sink.dynamodb", new HashMap<>(Map.of("enabled", "true", "region", "eu-west-1")));
        return groups;
    }

    private static List<DynamoDbTableMapping> mappings(Map<String, Map<String, String>> groups) {
        return JobConfig.of(new PropertyGroups(groups)).dynamoDbMappings();
    }

    private static String describe(DynamoDbTableMapping m) {
        return m + " exclude " + m.excludedColumns() + " rename " + m.renames() + " ttl " + m.ttlAttribute() + "/"
                + m.ttlDuration() + " deleted " + m.deletedAttribute();
    }

    @Test
    void aGroupKeyMapsLikeTheSameEntryOfTheDeprecatedString() {
        Map<String, Map<String, String>> modern = groups();
        modern.put("sink.dynamodb.tables", Map.of("public.orders", RICH, "customers", "customers;partition=id:N"));
        Map<String, Map<String, String>> legacy = groups();
        legacy.get("sink.dynamodb").put("tables", "customers=customers;partition=id:N | public.orders=" + RICH);

        Map<TableId, String> fromGroups = mappings(modern).stream()
                .collect(Collectors.toMap(DynamoDbTableMapping::sourceTable, DynamoDbMappingGroupsTest::describe));
        Map<TableId, String> fromString = mappings(legacy).stream()
                .collect(Collectors.toMap(DynamoDbTableMapping::sourceTable, DynamoDbMappingGroupsTest::describe));
        assertThat(fromGroups).hasSize(2).isEqualTo(fromString);
        assertThat(fromGroups.get(TableId.parse("public.orders")))
                .contains(
                        "orders_rm",
                        "partition pk S from [tenant, id]",
                        "sort line N from [line]",
                        "TOMBSTONE",
                        "DEAD_LETTER",
                        "exclude [secret, notes]",
                        "rename {total=amount, name=title}");
    }

    @Test
    void sixtyTablesFitInTwoGroupsNextToTheJobsOtherGroups() {
        Map<String, Map<String, String>> groups = groups();
        Map<String, String> first = new LinkedHashMap<>();
        Map<String, String> second = new LinkedHashMap<>();
        for (int i = 1; i <= 60; i++) {
            (i <= 50 ? first : second).put("public.t" + i, "rm_t" + i + ";partition=id:N");
        }
        groups.put("sink.dynamodb.tables", first);
        groups.put("sink.dynamodb.tables.2", second);

        List<DynamoDbTableMapping> mappings = mappings(groups);
        assertThat(mappings).hasSize(60);
        assertThat(mappings.stream().map(m -> m.sourceTable().toString()).collect(Collectors.toSet()))
                .isEqualTo(IntStream.rangeClosed(1, 60)
                        .mapToObj(i -> "public.t" + i)
                        .collect(Collectors.toSet()));
        assertThat(mappings)
                .allSatisfy(m -> assertThat(m.targetTable())
                        .isEqualTo("rm_" + m.sourceTable().table()));
    }

    @Test
    void aGroupOverFiftyKeysIsRefusedAndNamesTheNextGroup() {
        Map<String, Map<String, String>> groups = groups();
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 1; i <= 51; i++) {
            many.put("public.t" + i, "rm_t" + i + ";partition=id:N");
        }
        groups.put("sink.dynamodb.tables", many);
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'sink.dynamodb.tables' has 51 keys")
                .hasMessageContaining("allows 50")
                .hasMessageContaining("move some tables into group 'sink.dynamodb.tables.2'");
    }

    @Test
    void aTableMappedTwiceIsRefusedNamingBothPlaces() {
        Map<String, Map<String, String>> groups = groups();
        groups.put("sink.dynamodb.tables", Map.of("public.orders", "orders;partition=id:N"));
        groups.put("sink.dynamodb.tables.2", Map.of("orders", "orders_copy;partition=id:N"));
        assertThatThrownBy(() -> mappings(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("public.orders is mapped twice, by property group 'sink.dynamodb.tables' key"
                        + " 'public.orders' and by property group 'sink.dynamodb.tables.2' key 'orders': keep one");
    }

    @Test
    void aTableMappedTwiceInTheDeprecatedStringIsRefusedToo() {
        Map<String, Map<String, String>> groups = groups();
        groups.get("sink.dynamodb").put("tables", "public.a=rm_a1;partition=id:N | public.a=rm_a2;partition=id:N");
        assertThatThrownBy(() -> mappings(groups)).hasMessageContaining("public.a is mapped twice");
    }

    @Test
    void groupsAndTheDeprecatedStringTogetherAreRefused() {
        Map<String, Map<String, String>> groups = groups();
        groups.get("sink.dynamodb").put("tables", "public.a=a;partition=id:N");
        groups.put("sink.dynamodb.tables", Map.of("public.b", "b;partition=id:N"));
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'tables' and the property group(s) 'sink.dynamodb.tables' are both set")
                .hasMessageContaining("remove 'tables'");
    }

    @Test
    void theDeprecatedStringKeepsWorking() {
        Map<String, Map<String, String>> groups = groups();
        groups.get("sink.dynamodb")
                .put("tables", "public.a=a_rm;partition=id:N | public.b=b_rm;partition=k:S;sort=n:N");
        assertThat(mappings(groups))
                .extracting(DynamoDbTableMapping::targetTable)
                .containsExactly("a_rm", "b_rm");
    }

    @Test
    void aDeprecatedStringOverTheServiceLimitPointsToTheGroups() {
        Map<String, Map<String, String>> groups = groups();
        StringBuilder tables = new StringBuilder();
        for (int i = 0; tables.length() <= 2048; i++) {
            tables.append(i == 0 ? "" : " | ")
                    .append("public.table_")
                    .append(i)
                    .append("=rm_table_")
                    .append(i)
                    .append(";partition=id:N");
        }
        groups.get("sink.dynamodb").put("tables", tables.toString());
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'tables' is longer than 2048 characters")
                .hasMessageContaining(
                        "move the mappings into property group 'sink.dynamodb.tables', one key per table");
    }

    @Test
    void aGroupValueOverTheServiceLimitIsRefused() {
        Map<String, Map<String, String>> groups = groups();
        groups.put("sink.dynamodb.tables", Map.of("public.wide", "wide;partition=id:N;exclude=" + "c,".repeat(1100)));
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'sink.dynamodb.tables' key 'public.wide' is longer than 2048");
    }

    @Test
    void aBadMappingNamesItsGroupAndKey() {
        Map<String, Map<String, String>> groups = groups();
        groups.put("sink.dynamodb.tables.2", Map.of("public.orders", "orders;partition=id:N;sortt=x:N"));
        assertThatThrownBy(() -> mappings(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'sink.dynamodb.tables.2' key 'public.orders':")
                .hasMessageContaining("unknown mapping part 'sortt=x:N'");
        Map<String, Map<String, String>> badKey = groups();
        badKey.put("sink.dynamodb.tables", Map.of("public.orders=orders", "partition=id:N"));
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(badKey)))
                .hasMessageContaining("key 'public.orders=orders': a key names one captured table as schema.table");
    }

    @Test
    void onlyTheFirstGroupAndNumbersFromTwoAreMappingGroups() {
        Map<String, Map<String, String>> groups = groups();
        groups.put("sink.dynamodb.tables.1", Map.of("public.a", "a;partition=id:N"));
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups)))
                .hasMessageContaining("unknown property group 'sink.dynamodb.tables.1'")
                .hasMessageContaining("sink.dynamodb.tables, sink.dynamodb.tables.2");
    }

    @Test
    void anEnabledReadModelWithoutMappingsIsRefused() {
        assertThatThrownBy(() -> JobConfig.of(new PropertyGroups(groups())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the read model is enabled but maps no table")
                .hasMessageContaining("add property group 'sink.dynamodb.tables'");
    }

    @Test
    void aMappingOfATableTheJobDoesNotCaptureIsRefusedNamingIt() {
        Map<String, Map<String, String>> groups = groups();
        groups.put(
                "sink.dynamodb.tables",
                Map.of(
                        "public.orders",
                        "orders;partition=id:N",
                        "public.ordres",
                        "ordres;partition=id:N",
                        "audit.log",
                        "log;partition=id:N"));
        List<DynamoDbTableMapping> mappings = mappings(groups);
        Set<TableId> captured = Set.of(TableId.parse("public.orders"));
        assertThatThrownBy(() -> DynamoDbMappingScope.check(mappings, captured::contains, "not in the database"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("public.ordres")
                .hasMessageContaining("audit.log")
                .hasMessageNotContaining("public.orders,")
                .hasMessageContaining("which the job does not capture (not in the database)");
        DynamoDbMappingScope.check(mappings.subList(0, 0), captured::contains, "nothing mapped");
        DynamoDbMappingScope.check(
                mappings.stream()
                        .filter(m -> captured.contains(m.sourceTable()))
                        .collect(Collectors.toList()),
                captured::contains,
                "all captured");
    }
}
