package io.tributary.job.config;

import io.tributary.dynamodb.DynamoDbClientSettings;
import io.tributary.dynamodb.DynamoDbJournalSettings;
import io.tributary.dynamodb.DynamoDbSinkSettings;
import io.tributary.dynamodb.DynamoDbTableMapping;

import org.apache.flink.configuration.Configuration;

import java.util.List;

/** Turns the validated {@code sink.dynamodb} and {@code sink.dynamodb-journal} groups into the connector's settings. */
final class DynamoDbSettingsReader {
    private DynamoDbSettingsReader() {}

    /** The read model's writer settings; a limit out of range fails naming the group. */
    static DynamoDbSinkSettings settings(Configuration dynamoDb, List<DynamoDbTableMapping> mappings) {
        try {
            return DynamoDbSinkSettings.builder()
                    .mappings(mappings)
                    .maxInFlightRequests(dynamoDb.get(DynamoDbOptions.MAX_IN_FLIGHT))
                    .maxBufferedItems(dynamoDb.get(DynamoDbOptions.MAX_BUFFERED))
                    .maxBufferTime(dynamoDb.get(DynamoDbOptions.MAX_BUFFER_TIME))
                    .maxRetries(dynamoDb.get(DynamoDbOptions.MAX_RETRIES))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group 'sink.dynamodb': " + e.getMessage(), e);
        }
    }

    /** The client of group {@code sink.dynamodb} in {@code region} (resolved by the caller). */
    static DynamoDbClientSettings clientSettings(Configuration dynamoDb, String region) {
        DynamoDbClientSettings.Builder client = DynamoDbClientSettings.builder(region);
        if (dynamoDb.get(DynamoDbOptions.ENDPOINT) != null) {
            client.endpoint(dynamoDb.get(DynamoDbOptions.ENDPOINT));
        }
        if (dynamoDb.get(DynamoDbOptions.LOCAL)) {
            client.staticCredentials("local", "local");
        }
        return client.build();
    }

    /**
     * The event journal's settings, built whether or not the journal is enabled ({@code replay --journal} writes it
     * when it is not), so a bad value fails at validation either way.
     */
    static DynamoDbJournalSettings journalSettings(Configuration journal) {
        if (journal.get(DynamoDbJournalOptions.TABLE).isBlank()) {
            throw new ConfigException("property group 'sink.dynamodb-journal': 'table' must name the journal table");
        }
        if (journal.get(DynamoDbJournalOptions.MAX_IN_FLIGHT) < 1
                || journal.get(DynamoDbJournalOptions.MAX_RETRIES) < 0) {
            throw new ConfigException("property group 'sink.dynamodb-journal': 'max-in-flight-batches' must be at"
                    + " least 1 and 'max-retries' 0 or more");
        }
        DynamoDbJournalSettings.Builder b = DynamoDbJournalSettings.builder(journal.get(DynamoDbJournalOptions.TABLE))
                .rowPrefix(journal.get(DynamoDbJournalOptions.ROW_PREFIX))
                .maxInFlightBatches(journal.get(DynamoDbJournalOptions.MAX_IN_FLIGHT))
                .maxBufferTime(journal.get(DynamoDbJournalOptions.MAX_BUFFER_TIME))
                .maxRetries(journal.get(DynamoDbJournalOptions.MAX_RETRIES));
        if (journal.get(DynamoDbJournalOptions.TTL) != null) {
            b.ttl(journal.get(DynamoDbJournalOptions.TTL), journal.get(DynamoDbJournalOptions.TTL_ATTRIBUTE));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group 'sink.dynamodb-journal': " + e.getMessage(), e);
        }
    }
}
