package io.tributary.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** PostgreSQL's canonical array text from what pgjdbc's PgArray prints, in text and in binary mode. */
class PostgresArrayTextTest {
    @Test
    void canonicalTextIsKept() {
        for (String text : new String[] {
            "{{1,2},{3,4}}",
            "{{1,2},{3,NULL}}",
            "{}",
            "{{a,b},{c,d}}",
            "{{\"a b\",NULL},{\"\\\"q\",\"{}\"}}",
            "[0:1]={5,6}",
            "{\"\",\"NULL\",\"null\",\"a\\\\b\"}",
            "{{{1}}}"
        }) {
            assertThat(PostgresArrayText.canonical(text)).as(text).isEqualTo(text);
        }
    }

    /** pgjdbc renders a binary int[] result itself, quoting every element. */
    @Test
    void binaryModeRenderingBecomesCanonical() {
        assertThat(PostgresArrayText.canonical("{{\"1\",\"2\"},{\"3\",NULL}}")).isEqualTo("{{1,2},{3,NULL}}");
        assertThat(PostgresArrayText.canonical("{ {1 , 2} , {3,4} }")).isEqualTo("{{1,2},{3,4}}");
        assertThat(PostgresArrayText.canonical("{\"x\ty\"}")).isEqualTo("{\"x\ty\"}");
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> PostgresArrayText.canonical("{1,2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresArrayText.canonical("{1}x")).isInstanceOf(IllegalArgumentException.class);
    }
}
