package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class KinesisSinkSettingsTest {

    @Test
    void defaultsFitKinesisLimits() {
        KinesisSinkSettings s = KinesisSinkSettings.builder()
                .streamName("changes")
                .region("eu-west-1")
                .build();
        assertThat(s.maxBatchRecords()).isEqualTo(500);
        assertThat(s.maxBatchBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(s.format()).isEqualTo(KinesisRecordFormat.DEFAULT);
        assertThat(s.endpoint()).isEmpty();
        assertThat(s.accessKeyId()).isEmpty();
    }

    @Test
    void emulatorSettingsTurnOffCborAndHttp2() {
        KinesisSinkSettings s = KinesisSinkSettings.builder()
                .streamName("c")
                .region("eu-west-1")
                .emulator("http://127.0.0.1:4567")
                .build();
        assertThat(s.cborEnabled()).isFalse();
        assertThat(s.http1()).isTrue();
        assertThat(s.endpoint()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(4567));
        assertThat(s.toString()).doesNotContain(s.secretAccessKey().get() + "}");
    }

    @Test
    void badValuesSayWhatToFix() {
        assertThatThrownBy(() -> KinesisSinkSettings.builder().build()).hasMessageContaining("stream name is missing");
        assertThatThrownBy(() -> KinesisSinkSettings.builder().streamName("c").build())
                .hasMessageContaining("kinesis region is missing");
        assertThatThrownBy(() -> KinesisSinkSettings.builder()
                        .streamName("c")
                        .region("eu-west-1")
                        .maxBatchRecords(501)
                        .build())
                .hasMessageContaining("1..500");
        assertThatThrownBy(() -> KinesisSinkSettings.builder()
                        .streamName("c")
                        .region("eu-west-1")
                        .endpoint("localhost")
                        .build())
                .hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> KinesisSinkSettings.builder()
                        .streamName("c")
                        .region("eu-west-1")
                        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("initial <= max");
    }
}
