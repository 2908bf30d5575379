package io.tributary.event;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.Serializable;

/**
 * Writes a change event as one JSON value into a generator another writer owns, so a dead letter
 * can embed the whole event, streamed, in the destination's own format.
 *
 * <p>A seam rather than a class here because the JSON format belongs to the Kinesis package
 * ({@code kinesis.ChangeEventJsonSerializer} implements it) and connector packages must not import
 * each other: the job hands the Kinesis writer to the file handler in the {@code s3} package.
 */
@FunctionalInterface
public interface ChangeEventJsonWriter extends Serializable {

    /**
     * Writes {@code event} as one JSON object at the generator's current position.
     *
     * @throws IllegalArgumentException if a value is not of the class its column's kind names
     */
    void write(ChangeEvent event, JsonGenerator generator) throws IOException;
}
