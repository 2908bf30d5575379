package io.tributary.deadletter;

import io.tributary.event.ChangeEvent;
import io.tributary.event.ChangeEventJsonWriter;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.util.Objects;

/**
 * Keeps each dead letter as one JSON file, {@code <base>/<destination>/<schema.table>/<eventId>.json},
 * through Flink's file systems (s3:// on AWS, file:// locally): the cause, table, key, position and
 * event id, and the whole event in the default Kinesis JSON format (docs/formats/README.md,
 * "Dead letters"), so a letter can be re-driven without the event log.
 *
 * <p>The event is streamed into the file by the {@link ChangeEventJsonWriter} the job hands in, so a
 * 50 MB value is written in full without a second copy in memory. An event the JSON writer cannot
 * render (a value of the wrong class for its column) is written again with its text form instead.
 *
 * <p>Written and closed before {@link #handle} returns, so a letter is durable before the checkpoint
 * that passes its change; the file name is the event id, so a replayed letter overwrites itself
 * instead of piling up.
 */
public final class FileSystemDeadLetterHandler implements DeadLetterHandler {
    private static final long serialVersionUID = 1L;

    private final String basePath;
    private final ChangeEventJsonWriter eventJson;
    private transient JsonFactory json;

    /** Letters below {@code basePath}; each event rendered by {@code eventJson}. */
    public FileSystemDeadLetterHandler(String basePath, ChangeEventJsonWriter eventJson) {
        this.basePath = Objects.requireNonNull(basePath, "basePath").replaceAll("/+$", "");
        this.eventJson = Objects.requireNonNull(eventJson, "eventJson");
    }

    /** The file a letter is kept in. */
    public Path pathOf(DeadLetter letter) {
        return new Path(
                basePath + "/" + letter.destination() + "/" + letter.table() + "/" + letter.eventId() + ".json");
    }

    @Override
    public void open(int subtaskIndex) {
        json = jsonFactory();
    }

    private static JsonFactory jsonFactory() {
        // the output stream is closed by its own try block, once
        return new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @Override
    public void handle(DeadLetter letter) throws IOException {
        if (json == null) {
            json = jsonFactory();
        }
        Path path = pathOf(letter);
        FileSystem fs = path.getFileSystem();
        try {
            write(fs, path, letter, true);
        } catch (RuntimeException e) {
            // the event cannot be rendered as JSON (that may be why it is a letter): keep its text form
            write(fs, path, letter, false);
        }
    }

    private void write(FileSystem fs, Path path, DeadLetter letter, boolean asJson) throws IOException {
        try (FSDataOutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE);
                JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("destination", letter.destination());
            g.writeStringField("cause", letter.cause());
            g.writeStringField("table", letter.table().toString());
            g.writeStringField("key", letter.key());
            g.writeStringField("commitLsn", ChangeEvent.formatLsn(letter.commitLsn()));
            g.writeStringField("changeLsn", ChangeEvent.formatLsn(letter.changeLsn()));
            g.writeStringField("eventId", letter.eventId());
            ChangeEvent event = letter.event();
            if (event != null && asJson) {
                g.writeFieldName("event");
                eventJson.write(event, g);
            } else if (event != null) {
                g.writeStringField("eventText", event.toString());
            }
            g.writeEndObject();
        }
    }
}
