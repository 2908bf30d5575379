package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.DeadLetterMetrics;
import io.tributary.job.config.DatabasePassword;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.config.RunMode;

import io.tributary.s3.ParquetEventLogCheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

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
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("template.yaml").toFile());
        JsonNode app = template.at("/Resources/Application/Properties");
        assertThat(app.at("/RuntimeEnvironment").asText()).isEqualTo("FLINK-1_20");
        JsonNode conf = app.at("/ApplicationConfiguration");
        assertThat(conf.at("/ApplicationSnapshotConfiguration/SnapshotsEnabled").asBoolean()).isTrue();
        assertThat(conf.at("/FlinkApplicationConfiguration/CheckpointConfiguration/CheckpointingEnabled").asBoolean()).isTrue();
        assertThat(conf.at("/VpcConfigurations/0/SubnetIds").isMissingNode()).isFalse();

        Map<String, Map<String, String>> groups = propertyGroups(conf, template.at("/Parameters"));
        accept(groups);
        assertThat(groups).containsKeys("source.postgres", "sink.eventlog", "sink.kinesis", "sink.dynamodb");
        assertThat(groups.get("source.postgres")).containsKey("password.secret-arn").doesNotContainKey("password");
    }

    @Test
    void applicationJsonMatchesTheTemplateAndIsAccepted() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("template.yaml").toFile());
        JsonNode app = new ObjectMapper().readTree(DIR.resolve("application.json").toFile());
        assertThat(app.at("/RuntimeEnvironment").asText()).isEqualTo("FLINK-1_20");
        Map<String, Map<String, String>> fromJson = propertyGroups(app.at("/ApplicationConfiguration"), null);
        accept(fromJson);
        Map<String, Map<String, String>> fromTemplate =
                propertyGroups(template.at("/Resources/Application/Properties/ApplicationConfiguration"), null);
        assertThat(fromJson.keySet()).containsExactlyElementsOf(fromTemplate.keySet());
        fromTemplate.forEach((id, keys) -> assertThat(fromJson.get(id).keySet()).as(id).isEqualTo(keys.keySet()));
    }

    /** Each destination's dead-letter counter (one name, a destination dimension) has an alarm. */
    @Test
    void everyDestinationHasADeadLetterAlarm() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("template.yaml").toFile());
        java.util.Set<String> alarmed = new java.util.TreeSet<>();
        for (JsonNode resource : template.at("/Resources")) {
            JsonNode p = resource.get("Properties");
            if (resource.get("Type").asText().equals("AWS::CloudWatch::Alarm")
                    && p.get("MetricName").asText().equals(DeadLetterMetrics.NAME)) {
                assertThat(p.get("Namespace").asText()).isEqualTo("AWS/KinesisAnalytics");
                for (JsonNode d : p.get("Dimensions")) {
                    if (d.get("Name").asText().equals(DeadLetterMetrics.DESTINATION_KEY)) {
                        alarmed.add(d.get("Value").asText());
                    }
                }
            }
        }
        assertThat(alarmed).containsExactly("dynamodb", ParquetEventLogCheck.DESTINATION, "kinesis");
    }

    /** Validates as the job does at start-up in service mode, and builds the DynamoDB mappings. */
    private static void accept(Map<String, Map<String, String>> groups) {
        JobConfig config = JobConfig.of(new PropertyGroups(groups));
        DatabasePassword.check(config.source(), RunMode.SERVICE);
        ProductionEndpoints.dynamoDbSink(config);
        ProductionEndpoints.kinesisSink(config);
    }

    /**
     * The groups under EnvironmentProperties. A YAML {@code !Ref Param} reads as the text "Param":
     * it becomes the parameter's default, or a placeholder of the right shape; so do {@code ${Name}}s of a {@code !Sub}.
     */
    private static Map<String, Map<String, String>> propertyGroups(JsonNode appConfig, JsonNode parameters) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        for (JsonNode group : appConfig.at("/EnvironmentProperties/PropertyGroups")) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = group.get("PropertyMap").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), resolve(e.getKey(), e.getValue().asText(), parameters));
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
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            JsonNode def = parameters == null || !parameters.has(name) ? null : parameters.get(name).get("Default");
            String sub = name.equals("AWS::Region") ? "us-east-1"
                    : def != null ? def.asText() : "placeholder-" + name.toLowerCase().replaceAll("[^a-z0-9]", "-");
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(sub));
        }
        m.appendTail(out);
        return out.toString().replace("<REGION>", "us-east-1").replace("<ACCOUNT_ID>", "123456789012");
    }
}
