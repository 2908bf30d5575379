package io.tributary.deadletter;

import static io.tributary.event.TestTables.WIDGETS;
import static io.tributary.event.TestTables.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.ChangeEvent;
import io.tributary.event.ChangeEventJsonWriter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** Dead-letter files: every field, the whole event (50 MB included), and a text form when JSON cannot render it. */
class FileSystemDeadLetterHandlerTest {
    /** A stand-in for the Kinesis JSON writer (the s3 package does not import kinesis): id and the doc column. */
    private static final ChangeEventJsonWriter DOC_JSON = (event, g) -> {
        g.writeStartObject();
        g.writeStringField("eventId", event.eventId());
        g.writeStringField("doc", (String) event.after().get(3));
        g.writeEndObject();
    };

    @TempDir
    Path dir;

    @Test
    void letterHoldsCausePositionAndTheWholeEventEvenAt50Mb() throws Exception {
        String doc = "d".repeat(50 * 1024 * 1024);
        ChangeEvent event = insert(WIDGETS, 0x16B3748L, 7, 1, "w", doc);
        FileSystemDeadLetterHandler handler =
                new FileSystemDeadLetterHandler(dir.toUri().toString(), DOC_JSON);
        handler.open(0);
        handler.handle(DeadLetter.of(event, "kinesis", "record of 52428900 bytes exceeds the Kinesis limit"));

        Path file = dir.resolve("kinesis/public.widgets/" + event.eventId() + ".json");
        // Jackson's readers refuse strings over 20 M characters unless told otherwise (so must a re-drive tool)
        ObjectMapper reader = new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build());
        JsonNode letter = reader.readTree(file.toFile());
        assertThat(letter.get("destination").asText()).isEqualTo("kinesis");
        assertThat(letter.get("cause").asText()).startsWith("record of 52428900 bytes");
        assertThat(letter.get("table").asText()).isEqualTo("public.widgets");
        assertThat(letter.get("key").asText()).isEqualTo("public.widgets/7");
        assertThat(letter.get("commitLsn").asText()).isEqualTo(ChangeEvent.formatLsn(event.commitLsn()));
        assertThat(letter.get("changeLsn").asText()).isEqualTo("0/16B3748");
        assertThat(letter.get("eventId").asText()).isEqualTo(event.eventId());
        assertThat(letter.get("event").get("eventId").asText()).isEqualTo(event.eventId());
        assertThat(letter.get("event").get("doc").asText())
                .hasSize(doc.length())
                .isEqualTo(doc);
    }

    @Test
    void eventTheJsonWriterCannotRenderIsKeptAsText() throws Exception {
        ChangeEvent event = insert(WIDGETS, 100, 8, 1, "w", 42); // doc holds an Integer, not a String
        FileSystemDeadLetterHandler handler = new FileSystemDeadLetterHandler(dir.toUri() + "/", DOC_JSON);
        handler.handle(DeadLetter.of(event, "eventlog", "wrong class"));

        JsonNode letter = new ObjectMapper()
                .readTree(Files.readString(dir.resolve("eventlog/public.widgets/" + event.eventId() + ".json")));
        assertThat(letter.has("event")).isFalse();
        assertThat(letter.get("eventText").asText()).isEqualTo(event.toString());
        assertThat(letter.get("cause").asText()).isEqualTo("wrong class");
    }
}
