package io.tributary.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.TableSchema;

import org.junit.jupiter.api.Test;

class TableSchemaJsonTest {

    @Test
    void everyKindRoundTripsWithItsFingerprint() {
        TableSchema schema = EventLogFixtures.allTypes();
        TableSchema back = TableSchemaJson.fromJson(TableSchemaJson.toJson(schema));
        assertThat(back).isEqualTo(schema);
        assertThat(back.fingerprint()).isEqualTo(schema.fingerprint());
    }

    @Test
    void missingFieldIsNamed() {
        assertThatThrownBy(() -> TableSchemaJson.fromJson("{\"schema\":\"s\",\"table\":\"t\",\"key\":[]}"))
                .hasMessageContaining("\"columns\"");
    }
}
