package io.tributary.job;

import io.tributary.dynamodb.DynamoDbTableMapping;
import io.tributary.event.TableId;
import io.tributary.job.config.ConfigException;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every read-model mapping must name a table the job captures: a mapping for any other table would never
 * receive a change, which is almost always a typo in the table name or in {@code tables.include}.
 */
public final class DynamoDbMappingScope {
    private DynamoDbMappingScope() {}

    /**
     * Throws naming every mapped table for which {@code captured} is false; {@code why} says what "captured"
     * was checked against, so the operator knows which side to fix.
     */
    public static void check(List<DynamoDbTableMapping> mappings, Predicate<TableId> captured, String why) {
        List<String> outside = mappings.stream()
                .map(DynamoDbTableMapping::sourceTable)
                .filter(captured.negate())
                .map(TableId::toString)
                .collect(Collectors.toList());
        if (!outside.isEmpty()) {
            throw new ConfigException("the read model maps " + outside + ", which the job does not capture (" + why
                    + "): fix the table name in the mapping (property group 'sink.dynamodb.tables' key, or"
                    + " 'tables' of 'sink.dynamodb') or remove the mapping");
        }
    }
}
