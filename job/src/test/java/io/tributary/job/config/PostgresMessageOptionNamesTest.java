package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;
import io.tributary.job.ConfigurationReference;
import io.tributary.postgres.PostgresPreflight;
import io.tributary.postgres.PostgresPublication;
import io.tributary.postgres.PostgresSlotRestoreCheck;
import io.tributary.postgres.PostgresSourceSettings;
import io.tributary.postgres.PostgresTableCatalog.TableInfo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every option a start-up message of the PostgreSQL source names is spelled as the configuration reference
 * spells it (issue 10: a message told users to set {@code keyColumns}, a key that does not exist). The test makes
 * the settings, preflight and publication classes produce each of their messages, then checks every dotted or
 * hyphenated word in them is an option of the generated reference (or a name the list below says is not an
 * option), and that no message holds a camelCase word, which is how a Java field name leaks into a message.
 */
class PostgresMessageOptionNamesTest {
    /** Table names the fixtures below use; they appear in messages as schema.table. */
    private static final TableId ORDERS = new TableId("app", "orders");

    private static final TableId EVENTS = new TableId("app", "events");
    private static final TableId GONE = new TableId("app", "gone");
    /** Dotted or hyphenated words in the messages that are not options: PostgreSQL settings and files, English. */
    private static final Set<String> NOT_OPTIONS = Set.of(
            "rds.logical_replication",
            "postgresql.conf",
            "e.g",
            "lower-case",
            "schema.table",
            "db.example",
            "app.orders",
            "app.events",
            "app.gone",
            "app.missing",
            "app\\..*");

    private static final Pattern DOTTED = Pattern.compile("(?<![\\w.\\\\-])[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)+");
    private static final Pattern CAMEL_CASE = Pattern.compile("\\b[a-z]+(?:[A-Z][a-z0-9]+)+\\b");

    @Test
    void everyOptionNamedInAMessageIsInTheConfigurationReference() {
        String reference = ConfigurationReference.render();
        List<String> messages = messages();
        assertThat(messages).hasSizeGreaterThan(10);
        Set<String> named = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String m : messages) {
            Matcher dotted = DOTTED.matcher(m);
            while (dotted.find()) {
                String word = dotted.group().replaceAll("[.]+$", "");
                if (!NOT_OPTIONS.contains(word)) {
                    named.add(word);
                    if (!reference.contains("| `" + word + "` |")) {
                        unknown.add("'" + word + "' in: " + m);
                    }
                }
            }
            assertThat(CAMEL_CASE.matcher(m).results().map(r -> r.group()))
                    .as("camelCase words (Java names, not options) in the message:\n%s", m)
                    .isEmpty();
        }
        assertThat(unknown)
                .as("words named like options that the configuration reference lacks")
                .isEmpty();
        assertThat(named)
                .as("options the messages name")
                .contains(
                        "key-columns",
                        "tables.include",
                        "tables.exclude",
                        "slot.name",
                        "publication.name",
                        "snapshot.split-size",
                        "heartbeat.interval",
                        "connect.timeout",
                        "connect.max-retries",
                        "columns.exclude");
    }

    private static List<String> messages() {
        List<String> out = new ArrayList<>();
        out.add(thrown(() -> PostgresSourceSettings.builder()
                .port(0)
                .slotName("Bad!")
                .tableExclude(List.of("("))
                .excludedColumns(List.of("["))
                .keyColumns(ORDERS, List.of(" "))
                .heartbeatInterval(Duration.ZERO)
                .connectMaxRetries(-1)
                .connectTimeout(Duration.ZERO)
                .splitSize(0)
                .build()));
        PostgresSourceSettings settings = PostgresSourceSettings.builder()
                .hostname("db.example")
                .database("shop")
                .username("cdc")
                .password("secret")
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("app\\..*"))
                .keyColumns(EVENTS, List.of("nope"))
                .keyColumns(GONE, List.of("x"))
                .build();
        List<TableInfo> catalog = List.of(
                new TableInfo(ORDERS, List.of("id"), List.of("id"), "d"),
                new TableInfo(EVENTS, List.of("at", "msg"), List.of(), "f"));
        out.add(thrown(() -> PostgresPreflight.resolveTables(settings, catalog)));
        PostgresSourceSettings none = PostgresSourceSettings.builder()
                .hostname("db.example")
                .database("shop")
                .username("cdc")
                .password("secret")
                .slotName("s")
                .publicationName("p")
                .tableInclude(List.of("app\\.missing"))
                .tableExclude(List.of("app\\.gone"))
                .build();
        out.add(thrown(() -> PostgresPreflight.resolveTables(none, catalog)));
        for (String identity : List.of("d", "n", "f", "i")) {
            for (boolean configured : List.of(true, false)) {
                PostgresPreflight.checkReplicaIdentity(
                                new TableInfo(EVENTS, List.of("at"), List.of(), identity), configured)
                        .ifPresent(out::add);
                PostgresPreflight.checkReplicaIdentity(
                                new TableInfo(ORDERS, List.of("id"), List.of("id"), identity), configured)
                        .ifPresent(out::add);
            }
        }
        PostgresPreflight.checkWalLevel("replica", settings).ifPresent(out::add);
        PostgresPreflight.checkReplicationPrivilege("cdc", false, false, false).ifPresent(out::add);
        out.add(thrown(() -> PostgresPublication.statement(
                "p", PostgresPublication.State.of(false, false, List.of()), List.of(ORDERS))));
        out.add(PostgresSlotRestoreCheck.advancedSlotMessage("s", "db.example:5432/shop", "0/3000000", "0/2000000"));
        return out;
    }

    private static String thrown(Supplier<?> action) {
        try {
            action.get();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a start-up error");
    }
}
