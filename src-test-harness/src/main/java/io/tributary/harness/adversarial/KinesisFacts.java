package io.tributary.harness.adversarial;

import io.tributary.event.Op;
import io.tributary.event.TableId;
import io.tributary.harness.verify.KinesisTail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Default-format Kinesis records as {@link ChangeFact}s after de-duplication by {@code eventId}
 * (the first arrival counts; a shard keeps one row's records in arrival order), streamed changes
 * and snapshot records apart; and the event ids the Kinesis sink sent to the dead letters instead.
 */
public final class KinesisFacts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<TableId, List<String>> keyColumns;
    private final Set<String> seen = new HashSet<>();
    private final List<ChangeFact> streamed = new ArrayList<>();
    private final List<ChangeFact> snapshot = new ArrayList<>();
    private long records;

    public KinesisFacts(Map<TableId, List<String>> keyColumns) {
        this.keyColumns = keyColumns;
    }

    /** Adds records as polled; records of tables not in the key map are ignored. */
    public void add(List<KinesisTail.TailRecord> polled) throws IOException {
        for (KinesisTail.TailRecord r : polled) {
            records++;
            JsonNode node = JSON.readTree(r.data);
            TableId table = TableId.parse(node.get("table").asText());
            List<String> columns = keyColumns.get(table);
            if (columns == null || !seen.add(node.get("eventId").asText())) {
                continue;
            }
            Op op = Op.valueOf(node.get("op").asText());
            if (op == Op.TRUNCATE && node.path("snapshot").asBoolean(false)) {
                continue; // a snapshot's baseline, no statement of the workload
            }
            List<String> key = new ArrayList<>();
            if (op != Op.TRUNCATE) {
                for (String c : columns) {
                    JsonNode v = node.path("key").get(c);
                    key.add(v == null || v.isNull() ? null : v.asText());
                }
            }
            ChangeFact f = new ChangeFact(
                    table,
                    key,
                    op,
                    node.get("txId").asLong(),
                    "kinesis " + r.shardId + " seq " + r.sequenceNumber + " event "
                            + node.get("eventId").asText());
            (node.path("snapshot").asBoolean(false) ? snapshot : streamed).add(f);
        }
    }

    public List<ChangeFact> streamed() {
        return streamed;
    }

    public List<ChangeFact> snapshot() {
        return snapshot;
    }

    /** Records read, duplicates included. */
    public long records() {
        return records;
    }

    public int distinct() {
        return seen.size();
    }

    /**
     * Dead letters of one destination under the job's dead-letter path
     * ({@code <path>/<destination>/<schema.table>/<eventId>.json}): event id → the letter.
     */
    public static Map<String, JsonNode> deadLetters(Path deadLetterPath, String destination) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Path dir = deadLetterPath.resolve(destination);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>)
                    files.filter(f -> f.toString().endsWith(".json")).sorted()::iterator) {
                JsonNode letter = JSON.readTree(p.toFile());
                out.put(letter.get("eventId").asText(), letter);
            }
        }
        return out;
    }
}
