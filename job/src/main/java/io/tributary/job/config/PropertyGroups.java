package io.tributary.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Property groups as Managed Service for Apache Flink hands them to a job, read either from the
 * service's runtime or from a local JSON file of the same shape:
 * {@code [{"PropertyGroupId": "source.postgres", "PropertyMap": {"hostname": "…"}}]}.
 */
public final class PropertyGroups {
    /** Managed Service for Apache Flink allows at most 50 property groups. */
    public static final int MAX_GROUPS = 50;

    private final Map<String, Map<String, String>> groups;

    public PropertyGroups(Map<String, Map<String, String>> groups) {
        if (groups.size() > MAX_GROUPS) {
            throw new ConfigException("there are " + groups.size() + " property groups; the limit is " + MAX_GROUPS);
        }
        this.groups = groups;
    }

    /** Reads a local JSON file of property groups. */
    public static PropertyGroups fromFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new ConfigException(
                    file + " must hold a JSON array of {\"PropertyGroupId\": …, \"PropertyMap\": {…}}");
        }
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        for (JsonNode group : root) {
            JsonNode id = group.get("PropertyGroupId");
            JsonNode map = group.get("PropertyMap");
            if (id == null || !id.isTextual() || map == null || !map.isObject()) {
                throw new ConfigException(file + ": every entry needs a string \"PropertyGroupId\" and an object "
                        + "\"PropertyMap\"; found " + group);
            }
            if (groups.containsKey(id.asText())) {
                throw new ConfigException(file + ": property group '" + id.asText() + "' appears twice");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new ConfigException(file + ": '" + id.asText() + "." + e.getKey()
                            + "' must be a string, number or boolean, as in a Managed Flink property map");
                }
                values.put(e.getKey(), e.getValue().asText());
            }
            groups.put(id.asText(), values);
        }
        return new PropertyGroups(groups);
    }

    /** Converts the {@code Map<String, Properties>} the service runtime returns. */
    public static PropertyGroups fromProperties(Map<String, Properties> properties) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        properties.forEach((id, props) -> {
            Map<String, String> values = new LinkedHashMap<>();
            props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
            groups.put(id, values);
        });
        return new PropertyGroups(groups);
    }

    public Map<String, Map<String, String>> asMap() {
        return groups;
    }

    public Map<String, String> group(String id) {
        return groups.getOrDefault(id, Map.of());
    }
}
