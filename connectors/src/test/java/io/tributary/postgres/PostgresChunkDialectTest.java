package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TableId;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** Which tables the snapshot reads whole, and by which column their chunk is typed. */
class PostgresChunkDialectTest {
    @Test
    void tablesKeyedByConfigurationAreReadWholeTypedByTheirFirstKeyColumn() {
        List<PostgresCapturedTable> tables = List.of(
                new PostgresCapturedTable(
                        new TableId("public", "pgbench_accounts"),
                        List.of("aid"),
                        true,
                        List.of("aid", "bid", "abalance", "filler")),
                new PostgresCapturedTable(
                        new TableId("public", "pgbench_history"),
                        List.of("aid", "tid"),
                        false,
                        List.of("tid", "bid", "aid", "delta", "mtime", "filler")),
                new PostgresCapturedTable(
                        new TableId("app", "overridden"), List.of("code"), false, List.of("id", "code")));
        assertThat(PostgresSources.wholeTableChunks(tables))
                .isEqualTo(Map.of("public.pgbench_history", "aid", "app.overridden", "code"));
    }

    @Test
    void dialectNamesTablesAsSchemaDotTable() {
        assertThat(PostgresChunkDialect.name(new io.debezium.relational.TableId("db", "public", "pgbench_history")))
                .isEqualTo("public.pgbench_history");
        assertThat(PostgresChunkDialect.name(new io.debezium.relational.TableId(null, "public", "t")))
                .isEqualTo("public.t");
    }
}
