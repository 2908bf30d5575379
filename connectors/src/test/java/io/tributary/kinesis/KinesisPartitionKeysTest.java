package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.TestTables;

import org.junit.jupiter.api.Test;

class KinesisPartitionKeysTest {

    @Test
    void shortKeyIsTheTableAndPrimaryKey() {
        assertThat(KinesisPartitionKeys.of(TestTables.insert(TestTables.WIDGETS, 10, 42, 1, "bolt", "doc")))
                .isEqualTo("public.widgets/42");
    }

    @Test
    void keyOfExactly256CharactersIsKept() {
        String key = "t".repeat(256);
        assertThat(KinesisPartitionKeys.of(key)).isEqualTo(key);
    }

    @Test
    void longerKeyIsItsSha256InHex() {
        String key = "public.widgets/" + "x".repeat(300);
        String hashed = KinesisPartitionKeys.of(key);
        assertThat(hashed).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(KinesisPartitionKeys.of(key)).isEqualTo(hashed);
        assertThat(KinesisPartitionKeys.of(key + "y")).isNotEqualTo(hashed);
        // SHA-256("abc"), the FIPS 180-2 test vector.
        assertThat(KinesisPartitionKeys.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void lengthCountsCharactersNotBytes() {
        String key = "\u00e9".repeat(256);
        assertThat(KinesisPartitionKeys.of(key)).isEqualTo(key);
    }
}
