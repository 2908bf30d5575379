package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.job.config.JobConfig;
import io.tributary.job.config.PropertyGroups;
import io.tributary.job.config.RunMode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template's database authentication: with {@code DbIamAuth=true} the application's properties switch to IAM
 * (accepted by the job in service mode, no secret) and the role may {@code rds-db:connect} as the database user, and
 * only then; {@code secretsmanager:GetSecretValue} only without IAM; {@code kms:Decrypt} only for a named key.
 * Jackson reads {@code !If [c, a, b]} as the array {@code [c, a, b]} and {@code !Ref X} as "X".
 */
class KinesisAnalyticsTemplateAuthTest {
    private static final Path TEMPLATE = Path.of("..", "kinesis-analytics", "template.yaml");

    @Test
    void iamModeSwitchesThePropertiesAndIsAcceptedInServiceMode() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        for (JsonNode group : template.at(
                "/Resources/Application/Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups")) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            group.get("PropertyMap").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isArray() && v.size() == 3) {
                    assertThat(v.get(0).asText())
                            .as("condition of %s", e.getKey())
                            .isEqualTo("UseIamAuth");
                    v = v.get(1); // DbIamAuth = true
                    if (v.asText().equals("AWS::NoValue")) {
                        continue;
                    }
                }
                values.put(e.getKey(), placeholder(v.asText()));
            }
            groups.put(group.get("PropertyGroupId").asText(), values);
        }
        assertThat(groups.get("source.postgres"))
                .containsEntry("auth.mode", "iam")
                .doesNotContainKey("password.secret-arn");
        JobConfig config = JobConfig.of(new PropertyGroups(groups), RunMode.SERVICE);
        assertThat(config.databaseAuthProperties(new AwsRegionResolver(() -> Region.of("eu-west-1"))))
                .containsEntry("tributary.iam.region", "eu-west-1");
    }

    @Test
    void roleGrantsDatabaseAccessOnlyForTheChosenMode() throws Exception {
        JsonNode statements = new ObjectMapper(new YAMLFactory())
                .readTree(TEMPLATE.toFile())
                .at("/Resources/ServiceExecutionRole/Properties/Policies/0/PolicyDocument/Statement");
        List<String> conditional = new ArrayList<>();
        for (JsonNode s : statements) {
            if (s.isArray()) {
                String condition = s.get(0).asText();
                JsonNode then = s.get(1).isObject() ? s.get(1) : s.get(2);
                String branch = s.get(1).isObject() ? "then" : "else";
                conditional.add(
                        condition + "/" + branch + ":" + then.get("Action").asText());
                if (then.get("Action").asText().equals("rds-db:connect")) {
                    assertThat(then.get("Resource").asText()).endsWith(":dbuser:${DbResourceId}/${DbUser}");
                }
                if (then.get("Action").asText().equals("kms:Decrypt")) {
                    assertThat(then.get("Resource").asText()).isEqualTo("DbSecretKmsKeyArn");
                }
            } else {
                assertThat(s.get("Action").toString())
                        .as("unconditional statement %s", s.get("Sid"))
                        .doesNotContain("rds-db:", "secretsmanager:", "kms:");
            }
        }
        assertThat(conditional)
                .contains(
                        "UseIamAuth/else:secretsmanager:GetSecretValue",
                        "HasSecretKmsKey/then:kms:Decrypt",
                        "UseIamAuth/then:rds-db:connect");
    }

    /** A parameter reference or ${…} substitution, replaced by a value of the right shape. */
    private static String placeholder(String value) {
        if (value.startsWith("AWS::")) {
            return "us-east-1";
        }
        switch (value) {
            case "DbPort":
                return "5432";
            case "DbHost":
                return "db.example";
            case "SlotName": // validated like a slot name: lower-case
                return "tributary";
            default:
                // each table reference keeps its name, so the read model's mappings stay distinct
                return value.replaceAll("\\$\\{(\\w+)}", "$1").replaceAll("\\$\\{[^}]+}", "placeholder");
        }
    }
}
