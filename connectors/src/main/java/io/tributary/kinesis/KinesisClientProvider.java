package io.tributary.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.io.Serializable;

/**
 * Makes the Kinesis client a sink writer uses. A seam: production uses {@link KinesisSdkClientProvider},
 * a unit test hands in a fake that fails half a batch.
 */
@FunctionalInterface
public interface KinesisClientProvider extends Serializable {

    /** A new client; the writer closes it when it closes. */
    KinesisAsyncClient create();
}
