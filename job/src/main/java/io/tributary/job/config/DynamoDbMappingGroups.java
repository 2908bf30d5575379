package io.tributary.job.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read model's table mappings as property groups of free-form keys: {@code sink.dynamodb.tables}, then
 * {@code sink.dynamodb.tables.2}, {@code .3}, … Each key is a captured table ({@code schema.table}), its value that
 * table's mapping without the table ({@code target;partition=col:N[;sort=…][;exclude=…][;rename=…][;tombstone]
 * [;truncate=…]}), parsed by the same rules as one entry of the deprecated {@code sink.dynamodb} key {@code tables}.
 *
 * <p>Why keys rather than one group per table: Managed Service for Apache Flink allows 50 groups of 50 keys, each
 * value up to 2,048 characters (API reference, PropertyGroup and EnvironmentProperties). One key per table fits
 * 50 tables a group, each mapping with 2,048 characters of its own; the one {@code tables} string held all mappings
 * in 2,048 characters (about 25 tables), and a group per table would stop at fewer than 50 tables.
 */
public final class DynamoDbMappingGroups {
    /** The first group's id; further groups append {@code .2}, {@code .3}, … */
    public static final String ID = "sink.dynamodb.tables";

    private static final Pattern IDS = Pattern.compile(Pattern.quote(ID) + "(?:\\.([2-9]|[1-9][0-9]{1,2}))?");

    public static final String DESCRIPTION = "The read model's table mappings, one key per mapped table: the key is"
            + " the captured table (`schema.table`), the value its mapping `target;partition=col[,col]:S|N|B"
            + "[;sort=col[,col]:S|N|B][;exclude=a,b][;rename=a:b][;tombstone][;truncate=delete|dead-letter]`"
            + " (the rules of one entry of the deprecated `tables` key of `sink.dynamodb`). A group holds at most "
            + OptionGroup.MAX_KEYS + " keys, so more tables go into `" + ID + ".2`, `" + ID + ".3`, …"
            + " (at most 50 groups in all, the job's other groups included). Every mapped table must be captured"
            + " (`tables.include`/`tables.exclude` of `source.postgres`, and present in the database) and mapped once;"
            + " setting these groups and `tables` of `sink.dynamodb` together is an error.";

    private DynamoDbMappingGroups() {}

    /** True for {@code sink.dynamodb.tables} and {@code sink.dynamodb.tables.<n>}. */
    public static boolean matches(String groupId) {
        return IDS.matcher(groupId).matches();
    }

    /**
     * Every mapping of every mapping group, in group order ({@code tables}, {@code .2}, …) then key order, as
     * place ("group 'x' key 'y'") to full mapping ({@code schema.table=value}); empty when no group is set.
     */
    public static Map<String, String> read(PropertyGroups groups) {
        List<String> ids = new ArrayList<>();
        for (String id : groups.asMap().keySet()) {
            if (matches(id)) {
                ids.add(id);
            }
        }
        ids.sort(Comparator.comparingInt(DynamoDbMappingGroups::number));
        List<String> problems = new ArrayList<>();
        Map<String, String> specs = new LinkedHashMap<>();
        for (String id : ids) {
            Map<String, String> group = groups.group(id);
            if (group.size() > OptionGroup.MAX_KEYS) {
                problems.add("property group '" + id + "' has " + group.size() + " keys; Managed Service for Apache"
                        + " Flink allows " + OptionGroup.MAX_KEYS + ": move some tables into group '" + ID + "."
                        + (number(ids.get(ids.size() - 1)) + 1) + "'");
            }
            for (Map.Entry<String, String> e : group.entrySet()) {
                String place = "property group '" + id + "' key '" + e.getKey() + "'";
                String value = e.getValue() == null ? "" : e.getValue().trim();
                if (!e.getKey().matches("[^=;|\\s]+")) {
                    problems.add(
                            place + ": a key names one captured table as schema.table (no '=', ';', '|' or spaces)");
                } else if (value.isEmpty()) {
                    problems.add(place + " has no mapping: set target;partition=col:S|N|B");
                } else if (value.length() > OptionGroup.MAX_VALUE_LENGTH) {
                    problems.add(place + " is longer than " + OptionGroup.MAX_VALUE_LENGTH + " characters, the limit of"
                            + " a value on Managed Service for Apache Flink: shorten its exclude/rename lists");
                } else {
                    specs.put(place, e.getKey() + "=" + value);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return specs;
    }

    /** 1 for the first group, n for {@code .n}. */
    private static int number(String id) {
        Matcher m = IDS.matcher(id);
        return m.matches() && m.group(1) != null ? Integer.parseInt(m.group(1)) : 1;
    }
}
