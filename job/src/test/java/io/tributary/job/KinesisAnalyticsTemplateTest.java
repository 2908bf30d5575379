package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.deadletter.DeadLetterMetrics;
import io.tributary.dynamodb.DynamoDbJournalLayout;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.config.RunMode;
import io.tributary.job.lag.LagReporter;
import io.tributary.s3.ParquetEventLogCheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The property groups that kinesis-analytics/template.yaml and application.json give the
 * application are accepted by the job in service mode: every group and key is known, every value
 * parses (references replaced by their parameter's default, or a placeholder), the password comes
 * from a secret, and the DynamoDB mappings parse.
 */
class KinesisAnalyticsTemplateTest {
    private static final Path DIR = Path.of("..", "kinesis-analytics");

    @Test
    void templatePropertyGroupsAreAcceptedByTheJob() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory())
                .readTree(DIR.resolve("template.yaml").toFile());
        JsonNode app = template.at("/Resources/Application/Properties");
        assertThat(app.at("/RuntimeEnvironment").asText()).isEqualTo("FLINK-1_20");
        JsonNode conf = app.at("/ApplicationConfiguration");
        assertThat(conf.at("/ApplicationSnapshotConfiguration/SnapshotsEnabled").asBoolean())
                .isTrue();
        assertThat(conf.at("/FlinkApplicationConfiguration/CheckpointConfiguration/CheckpointingEnabled")
                        .asBoolean())
                .isTrue();
        assertThat(conf.at("/VpcConfigurations/0/SubnetIds").isMissingNode()).isFalse();

        Map<String, Map<String, String>> groups = propertyGroups(conf, template.at("/Parameters"));
        accept(groups);
        assertThat(groups).containsKeys("source.postgres", "sink.eventlog", "sink.kinesis", "sink.dynamodb");
        assertThat(groups.get("source.postgres"))
                .containsKey("password.secret-arn")
                .doesNotContainKey("password");
        assertThat(groups.get("sink.dynamodb"))
                .as("mappings in sink.dynamodb.tables, not the deprecated string")
                .doesNotContainKey("tables");
        assertThat(JobConfig.of(new PropertyGroups(groups), RunMode.SERVICE).dynamoDbMappings())
                .extracting(m -> m.sourceTable().toString())
                .containsExactly("public.customers", "public.orders", "public.order_lines");
    }

    @Test
    void applicationJsonMatchesTheTemplateAndIsAccepted() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory())
                .readTree(DIR.resolve("template.yaml").toFile());
        JsonNode app =
                new ObjectMapper().readTree(DIR.resolve("application.json").toFile());
        assertThat(app.at("/RuntimeEnvironment").asText()).isEqualTo("FLINK-1_20");
        Map<String, Map<String, String>> fromJson = propertyGroups(app.at("/ApplicationConfiguration"), null);
        accept(fromJson);
        Map<String, Map<String, String>> fromTemplate =
                propertyGroups(template.at("/Resources/Application/Properties/ApplicationConfiguration"), null);
        assertThat(fromJson.keySet()).containsExactlyElementsOf(fromTemplate.keySet());
        fromTemplate.forEach(
                (id, keys) -> assertThat(fromJson.get(id).keySet()).as(id).isEqualTo(keys.keySet()));
    }

    /** Each destination's dead-letter counter (one name, a destination dimension) has an alarm. */
    @Test
    void everyDestinationHasADeadLetterAlarm() throws Exception {
        Set<String> alarmed = new TreeSet<>();
        for (JsonNode metric : alarmedMetrics(DeadLetterMetrics.NAME)) {
            assertThat(metric.get("Namespace").asText()).isEqualTo("AWS/KinesisAnalytics");
            for (JsonNode d : metric.get("Dimensions")) {
                if (d.get("Name").asText().equals(DeadLetterMetrics.DESTINATION_KEY)) {
                    alarmed.add(d.get("Value").asText());
                }
            }
        }
        assertThat(alarmed)
                .containsExactly("dynamodb", "dynamodb-journal", ParquetEventLogCheck.DESTINATION, "kinesis");
    }

    /**
     * The journal table has exactly the keys and indexes the job's start-up check expects, on-demand billing and
     * point-in-time recovery; the job may only put items in batches and describe the table.
     */
    @Test
    void theJournalTableIsTheOneTheJobChecksAndOnlyItsWritesAreGranted() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory())
                .readTree(DIR.resolve("template.yaml").toFile());
        JsonNode table = template.at("/Resources/JournalTable/Properties");
        assertThat(table.at("/BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled")
                        .asBoolean())
                .isTrue();
        CreateTableRequest expected = DynamoDbJournalLayout.createTableRequest("journal");
        Map<String, String> attributes = new LinkedHashMap<>();
        table.at("/AttributeDefinitions")
                .forEach(a -> attributes.put(
                        a.get("AttributeName").asText(), a.get("AttributeType").asText()));
        Map<String, String> wantAttributes = new LinkedHashMap<>();
        expected.attributeDefinitions().forEach(a -> wantAttributes.put(a.attributeName(), a.attributeTypeAsString()));
        assertThat(attributes).isEqualTo(wantAttributes);
        assertThat(keys(table.at("/KeySchema")))
                .isEqualTo(expected.keySchema().stream()
                        .map(k -> k.attributeName() + ":" + k.keyTypeAsString())
                        .collect(Collectors.toList()));
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        table.at("/GlobalSecondaryIndexes").forEach(i -> {
            assertThat(i.at("/Projection/ProjectionType").asText()).isEqualTo("ALL");
            indexes.put(i.get("IndexName").asText(), keys(i.get("KeySchema")));
        });
        Map<String, List<String>> wantIndexes = new LinkedHashMap<>();
        expected.globalSecondaryIndexes()
                .forEach(i -> wantIndexes.put(
                        i.indexName(),
                        i.keySchema().stream()
                                .map(k -> k.attributeName() + ":" + k.keyTypeAsString())
                                .collect(Collectors.toList())));
        assertThat(indexes).isEqualTo(wantIndexes);

        List<String> actions = new ArrayList<>();
        for (JsonNode policy : template.at("/Resources/ServiceExecutionRole/Properties/Policies")) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                if (statement.path("Sid").asText().equals("WriteJournal")) {
                    statement.get("Action").forEach(a -> actions.add(a.asText()));
                }
            }
        }
        assertThat(actions).containsExactlyInAnyOrder("dynamodb:BatchWriteItem", "dynamodb:DescribeTable");
    }

    private static List<String> keys(JsonNode keySchema) {
        List<String> out = new ArrayList<>();
        keySchema.forEach(k ->
                out.add(k.get("AttributeName").asText() + ":" + k.get("KeyType").asText()));
        return out;
    }

    /**
     * Cumulative counters (dead letters, failed checkpoints, restarts) never fall while the job runs:
     * an alarm on their value would stay in ALARM for good. Each alarm must watch the increase
     * (DIFF of the counter) over more than one period, so it returns to OK when nothing new happens.
     */
    @Test
    void alarmsOnCumulativeCountersWatchTheirIncreaseAndClear() throws Exception {
        for (String counter : List.of(DeadLetterMetrics.NAME, "numberOfFailedCheckpoints", "numRestarts")) {
            List<JsonNode> alarms = alarmsOn(counter);
            assertThat(alarms).as("alarms on %s", counter).isNotEmpty();
            for (JsonNode p : alarms) {
                assertThat(p.has("MetricName"))
                        .as("%s: an alarm on the counter's value never clears", counter)
                        .isFalse();
                String counterId = null;
                String returned = null;
                for (JsonNode m : p.get("Metrics")) {
                    if (m.has("MetricStat")) {
                        assertThat(m.at("/MetricStat/Metric/MetricName").asText())
                                .isEqualTo(counter);
                        assertThat(m.get("ReturnData").asBoolean()).isFalse();
                        counterId = m.get("Id").asText();
                    } else if (m.get("ReturnData").asBoolean()) {
                        returned = m.get("Expression").asText();
                    }
                }
                assertThat(returned).as("%s: the alarm's expression", counter).isEqualTo("DIFF(" + counterId + ")");
                assertThat(p.get("EvaluationPeriods").asInt())
                        .as("DIFF needs the period before")
                        .isGreaterThan(1);
                assertThat(p.get("DatapointsToAlarm").asInt()).isEqualTo(1);
                assertThat(p.get("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
                assertThat(p.get("Threshold").asDouble()).isZero();
                assertThat(p.get("TreatMissingData").asText()).isEqualTo("notBreaching");
            }
        }
    }

    /** The job's commit-lag metric is alarmed on its value: it is a delay, not a counter. */
    @Test
    void commitLagIsAlarmed() throws Exception {
        assertThat(alarmsOn(LagReporter.METRIC_COMMIT_LAG)).hasSize(1);
    }

    /** The lag reporter's slot lag is alarmed by the name it registers. */
    @Test
    void slotLagIsAlarmed() throws Exception {
        assertThat(alarmsOn(LagReporter.METRIC_SLOT_LAG)).hasSize(1);
    }

    /** The properties of every alarm on {@code metricName}, plain or inside metric math. */
    private static List<JsonNode> alarmsOn(String metricName) throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory())
                .readTree(DIR.resolve("template.yaml").toFile());
        List<JsonNode> alarms = new ArrayList<>();
        for (JsonNode resource : template.at("/Resources")) {
            if (resource.get("Type").asText().equals("AWS::CloudWatch::Alarm")
                    && !metricsOf(resource.get("Properties"), metricName).isEmpty()) {
                alarms.add(resource.get("Properties"));
            }
        }
        return alarms;
    }

    /** The metrics ({@code Namespace}, {@code MetricName}, {@code Dimensions}) named {@code metricName} that alarms watch. */
    private static List<JsonNode> alarmedMetrics(String metricName) throws Exception {
        List<JsonNode> metrics = new ArrayList<>();
        for (JsonNode p : alarmsOn(metricName)) {
            metrics.addAll(metricsOf(p, metricName));
        }
        return metrics;
    }

    private static List<JsonNode> metricsOf(JsonNode alarm, String metricName) {
        List<JsonNode> found = new ArrayList<>();
        if (alarm.has("MetricName") && alarm.get("MetricName").asText().equals(metricName)) {
            found.add(alarm);
        }
        for (JsonNode m : alarm.path("Metrics")) {
            JsonNode metric = m.at("/MetricStat/Metric");
            if (!metric.isMissingNode() && metric.get("MetricName").asText().equals(metricName)) {
                found.add(metric);
            }
        }
        return found;
    }

    /**
     * Validates as the job does at start-up in service mode, and builds the DynamoDB mappings and the
     * clients' settings; the region comes from the runtime (MSF sets AWS_REGION), here a stand-in for it.
     */
    private static void accept(Map<String, Map<String, String>> groups) {
        JobConfig config = JobConfig.of(new PropertyGroups(groups), RunMode.SERVICE);
        AwsRegionResolver service = new AwsRegionResolver(() -> Region.EU_WEST_1);
        assertThat(config.dynamoDbMappings()).isNotEmpty();
        assertThat(config.dynamoDbClientSettings(service).region()).isEqualTo("eu-west-1");
        assertThat(config.kinesisSettings(service).region()).isEqualTo("eu-west-1");
        assertThat(config.journalSettings()).isNotNull();
    }

    /**
     * The groups under EnvironmentProperties. A YAML {@code !Ref Param} reads as the text "Param":
     * it becomes the parameter's default, or a placeholder of the right shape; so do {@code ${Name}}s of a {@code !Sub}.
     */
    private static Map<String, Map<String, String>> propertyGroups(JsonNode appConfig, JsonNode parameters) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        for (JsonNode group : appConfig.at("/EnvironmentProperties/PropertyGroups")) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            group.get("PropertyMap").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode value = e.getValue();
                if (value.isArray() && value.size() == 3) {
                    // !If [Condition, then, else]: the template's conditions are false under the defaults
                    value = value.get(2);
                    if (value.asText().equals("AWS::NoValue")) {
                        continue;
                    }
                }
                values.put(e.getKey(), resolve(e.getKey(), value.asText(), parameters));
            }
            groups.put(group.get("PropertyGroupId").asText(), values);
        }
        return groups;
    }

    private static String resolve(String key, String value, JsonNode parameters) {
        if (parameters != null && parameters.has(value)) {
            JsonNode def = parameters.get(value).get("Default");
            if (def != null && !def.asText().isEmpty()) {
                return def.asText();
            }
        }
        if (key.equals("password.secret-arn")) {
            return "arn:aws:secretsmanager:us-east-1:123456789012:secret:placeholder-AbCdEf";
        }
        if (key.equals("region") && value.startsWith("AWS::")) {
            return "us-east-1";
        }
        // ${Name} in a !Sub string: the parameter's default, or a name-shaped placeholder (a resource's name).
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            JsonNode def = parameters == null || !parameters.has(name)
                    ? null
                    : parameters.get(name).get("Default");
            String sub = name.equals("AWS::Region")
                    ? "us-east-1"
                    : def != null
                            ? def.asText()
                            : "placeholder-" + name.toLowerCase().replaceAll("[^a-z0-9]", "-");
            m.appendReplacement(out, Matcher.quoteReplacement(sub));
        }
        m.appendTail(out);
        return out.toString().replace("<REGION>", "us-east-1").replace("<ACCOUNT_ID>", "123456789012");
    }
}
