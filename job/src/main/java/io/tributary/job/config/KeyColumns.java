package io.tributary.job.config;

import io.tributary.event.TableId;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Parses {@code key-columns}: {@code schema.t1(a,b); schema.t2(c)}. */
public final class KeyColumns {
    private static final Pattern ENTRY = Pattern.compile("\\s*([\\w$]+\\.[\\w$]+)\\s*\\(([^)]*)\\)\\s*");

    private KeyColumns() {}

    public static Map<TableId, List<String>> parse(String text) {
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return keys;
        }
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry);
            List<String> columns = m.matches()
                    ? Arrays.stream(m.group(2).split(","))
                            .map(String::trim)
                            .filter(c -> !c.isEmpty())
                            .collect(Collectors.toList())
                    : List.of();
            if (columns.isEmpty()) {
                throw new ConfigException("property group 'source.postgres': 'key-columns' entry '" + entry.trim()
                        + "' is not of the form schema.table(col1,col2)");
            }
            keys.put(TableId.parse(m.group(1)), columns);
        }
        return keys;
    }
}
