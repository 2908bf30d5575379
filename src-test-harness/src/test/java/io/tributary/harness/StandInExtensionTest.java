package io.tributary.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class StandInExtensionTest {
    private static final class Recorded implements AutoCloseable {
        final List<String> calls;

        Recorded(List<String> calls) {
            this.calls = calls;
            calls.add("start");
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void startsOnceBeforeTheClassAndClosesOnceAfterIt() throws Exception {
        List<String> calls = new ArrayList<>();
        StandInExtension<Recorded> extension = StandInExtension.of(() -> new Recorded(calls));
        assertThatThrownBy(extension::get)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static field");

        extension.beforeAll(null);
        Recorded running = extension.get();
        assertThat(extension.get()).isSameAs(running);
        extension.afterAll(null);

        assertThat(calls).containsExactly("start", "close");
        assertThatThrownBy(extension::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStartThatFailedClosesNothing() throws Exception {
        StandInExtension<Recorded> extension = StandInExtension.of(() -> {
            throw new IllegalStateException("port taken");
        });
        assertThatThrownBy(() -> extension.beforeAll(null)).hasMessage("port taken");
        extension.afterAll(null);
        assertThatThrownBy(extension::get).isInstanceOf(IllegalStateException.class);
    }
}
