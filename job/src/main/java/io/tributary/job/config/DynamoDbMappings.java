package io.tributary.job.config;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read model's table mappings, parsed once when the configuration is validated: from the
 * {@code sink.dynamodb.tables} groups ({@link DynamoDbMappingGroups}), or from the deprecated {@code tables} string of
 * {@code sink.dynamodb}; both set is an error. Each is parsed by {@link DynamoDbTableMapping#parse}; a mapping that
 * does not parse or a table mapped twice fails naming the place(s) it was configured.
 */
final class DynamoDbMappings {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbMappings.class);

    private DynamoDbMappings() {}

    /**
     * @param legacy the deprecated {@code tables} string of {@code sink.dynamodb}, or null
     * @param groups the mappings of the {@code sink.dynamodb.tables} groups, place to mapping
     */
    static List<DynamoDbTableMapping> parse(String legacy, Map<String, String> groups) {
        List<DynamoDbTableMapping> mappings = new ArrayList<>();
        Map<TableId, String> places = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : specs(legacy, groups).entrySet()) {
            try {
                DynamoDbTableMapping mapping = DynamoDbTableMapping.parse(e.getValue());
                String first = places.putIfAbsent(mapping.sourceTable(), e.getKey());
                if (first != null) {
                    problems.add(mapping.sourceTable() + " is mapped twice, by " + first + " and by " + e.getKey()
                            + ": keep one");
                } else {
                    mappings.add(mapping);
                }
            } catch (RuntimeException ex) {
                problems.add(e.getKey() + ": " + ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return Collections.unmodifiableList(mappings);
    }

    /** The mappings as written, each under the place it was configured (for messages). */
    private static Map<String, String> specs(String legacy, Map<String, String> groups) {
        if (legacy == null) {
            return groups;
        }
        if (!groups.isEmpty()) {
            throw new ConfigException("property group 'sink.dynamodb': 'tables' and the property group(s) '"
                    + DynamoDbMappingGroups.ID + "' are both set: keep the groups (one key per table) and remove"
                    + " 'tables'");
        }
        LOG.warn(
                "property group 'sink.dynamodb': 'tables' is deprecated (all mappings in one value of at most {}"
                        + " characters); move each mapping into property group '{}' as key schema.table, value"
                        + " target;partition=…",
                OptionGroup.MAX_VALUE_LENGTH,
                DynamoDbMappingGroups.ID);
        Map<String, String> specs = new LinkedHashMap<>();
        for (String spec : legacy.split("\\|")) {
            if (!spec.isBlank()) {
                specs.put("property group 'sink.dynamodb': 'tables' entry '" + spec.trim() + "'", spec.trim());
            }
        }
        return specs;
    }
}
