package io.tributary.s3;

import io.tributary.event.ChangeEvent;
import io.tributary.event.DeadLetter;
import io.tributary.event.DeadLetterHandler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * Keeps each dead letter as one small JSON file, {@code <base>/<destination>/<schema.table>/<eventId>.json},
 * through Flink's file systems (s3:// on AWS, file:// locally). Written before {@link #handle}
 * returns, so a letter is durable before the checkpoint that passes its change; the file name is
 * the event id, so a replayed letter overwrites itself instead of piling up.
 */
public final class FileSystemDeadLetterHandler implements DeadLetterHandler {
    private static final long serialVersionUID = 1L;

    private final String basePath;
    private transient ObjectMapper json;

    public FileSystemDeadLetterHandler(String basePath) {
        this.basePath = basePath.replaceAll("/+$", "");
    }

    @Override
    public void open(int subtaskIndex) {
        json = new ObjectMapper();
    }

    @Override
    public void handle(DeadLetter letter) throws IOException {
        if (json == null) {
            json = new ObjectMapper();
        }
        ObjectNode node = json.createObjectNode()
                .put("destination", letter.destination())
                .put("cause", letter.cause())
                .put("table", letter.table().toString())
                .put("key", letter.key())
                .put("commitLsn", ChangeEvent.formatLsn(letter.commitLsn()))
                .put("changeLsn", ChangeEvent.formatLsn(letter.changeLsn()))
                .put("eventId", letter.eventId())
                .put("payloadSummary", letter.payloadSummary());
        Path path = new Path(basePath + "/" + letter.destination() + "/" + letter.table() + "/" + letter.eventId() + ".json");
        FileSystem fs = path.getFileSystem();
        try (FSDataOutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        }
    }
}
