package io.tributary.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

import java.io.Serializable;

/**
 * Creates the DynamoDB client a writer uses, once per parallel writer: a seam so tests can hand a
 * writer a fake that throttles or fails chosen requests. The writer closes the client.
 */
@FunctionalInterface
public interface DynamoDbClientProvider extends Serializable {

    DynamoDbAsyncClient create();

    /** A real client built from {@code settings}. */
    static DynamoDbClientProvider of(DynamoDbClientSettings settings) {
        return new DefaultProvider(settings);
    }

    /** Builds the SDK client from settings; a class so it serializes predictably. */
    final class DefaultProvider implements DynamoDbClientProvider {
        private static final long serialVersionUID = 1L;
        private final DynamoDbClientSettings settings;

        DefaultProvider(DynamoDbClientSettings settings) {
            this.settings = settings;
        }

        @Override
        public DynamoDbAsyncClient create() {
            return settings.createClient();
        }
    }
}
