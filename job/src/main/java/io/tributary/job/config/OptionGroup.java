package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One property group: its id, what it is for, and its typed options. Validates a group's raw
 * key/value map once: unknown keys, missing required keys, values that do not parse and values
 * over Managed Service for Apache Flink's limits fail with a message that says what to fix.
 */
public final class OptionGroup {
    /** Managed Service for Apache Flink: at most 50 keys a group and 2,048 characters a value. */
    public static final int MAX_KEYS = 50;

    public static final int MAX_VALUE_LENGTH = 2048;

    private final String id;
    private final String description;
    private final Map<String, ConfigOption<?>> options = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();
    private final Map<String, String> overLimitHints = new LinkedHashMap<>();

    public OptionGroup(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** Adds an option; returns it so option classes can keep a typed constant. */
    public <T> ConfigOption<T> add(ConfigOption<T> option) {
        options.put(option.key(), option);
        if (options.size() > MAX_KEYS) {
            throw new IllegalStateException("group " + id + " has more than " + MAX_KEYS + " options");
        }
        return option;
    }

    /** Adds an option that has no default and must be set. */
    public <T> ConfigOption<T> addRequired(ConfigOption<T> option) {
        required.add(option.key());
        return add(option);
    }

    /** What to do instead when {@code option}'s value is over {@link #MAX_VALUE_LENGTH}; returns the option. */
    public <T> ConfigOption<T> whenTooLong(ConfigOption<T> option, String hint) {
        overLimitHints.put(option.key(), hint);
        return option;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public List<ConfigOption<?>> options() {
        return Collections.unmodifiableList(new ArrayList<>(options.values()));
    }

    public boolean isRequired(ConfigOption<?> option) {
        return required.contains(option.key());
    }

    /** Checks {@code raw} and returns it as a Flink {@link Configuration} to read typed values from. */
    public Configuration validate(Map<String, String> raw) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            ConfigOption<?> option = options.get(e.getKey());
            if (option == null) {
                problems.add("unknown key '" + e.getKey() + "'" + suggestion(e.getKey()));
            } else if (e.getValue() != null && e.getValue().length() > MAX_VALUE_LENGTH) {
                problems.add("'" + e.getKey() + "' is longer than " + MAX_VALUE_LENGTH + " characters"
                        + (overLimitHints.containsKey(e.getKey()) ? ": " + overLimitHints.get(e.getKey()) : ""));
            }
        }
        Configuration conf = Configuration.fromMap(raw);
        for (String key : required) {
            if (!raw.containsKey(key) || raw.get(key) == null || raw.get(key).isBlank()) {
                problems.add("'" + key + "' is required: " + description(options.get(key)));
            }
        }
        for (ConfigOption<?> option : options.values()) {
            if (raw.containsKey(option.key())) {
                try {
                    conf.get(option);
                } catch (RuntimeException ex) {
                    problems.add("'" + option.key() + "' = '" + raw.get(option.key()) + "' is not a valid "
                            + typeName(option) + " (" + ex.getMessage() + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("property group '" + id + "': " + String.join("; ", problems) + ". Known keys: "
                    + new TreeSet<>(options.keySet()));
        }
        return conf;
    }

    /** A human name for an option's type, for messages and the reference table. */
    public static String typeName(ConfigOption<?> option) {
        // Flink keeps an option's class and list flag package-private; they only label messages and docs.
        Object cls = reflect(option, "getClazz");
        String name = cls instanceof Class ? ((Class<?>) cls).getSimpleName() : "value";
        return Boolean.TRUE.equals(reflect(option, "isList")) ? "list of " + name + " (separated by ;)" : name;
    }

    private static Object reflect(ConfigOption<?> option, String method) {
        try {
            Method m = ConfigOption.class.getDeclaredMethod(method);
            m.setAccessible(true);
            return m.invoke(option);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private String suggestion(String key) {
        String best = null;
        int bestDistance = 4;
        for (String known : options.keySet()) {
            int d = distance(key, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** An option's description as plain text. */
    public static String description(ConfigOption<?> option) {
        StringBuilder text = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement) {
                TextElement t = (TextElement) block;
                text.append(
                        t.getElements().isEmpty()
                                ? t.getFormat()
                                : String.format(t.getFormat(), t.getElements().toArray()));
            }
        }
        return text.toString();
    }
}
