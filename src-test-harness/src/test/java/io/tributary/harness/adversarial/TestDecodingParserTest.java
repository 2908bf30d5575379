package io.tributary.harness.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.event.Op;
import io.tributary.event.TableId;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The oracle's parser on lines PostgreSQL 15's test_decoding printed (captured from a real run). */
class TestDecodingParserTest {
    private static final TableId A = new TableId("public", "a");
    private static final TableId ODD = new TableId("public", "Odd Name");

    @Test
    void insertWithOddValuesQuotesNullsAndArrays() {
        List<DecodedChange> changes = TestDecodingParser.parse(List.of(
                "BEGIN 729",
                "table public.a: INSERT: id[integer]:1 n[numeric]:NaN nu[numeric]:NaN f[double precision]:NaN "
                        + "ts[timestamp with time zone]:'infinity' d[date]:'-infinity' t[time without time zone]:'24:00:00' "
                        + "note[text]:'it''s \"x\" \\ back' arr[integer[]]:'{1,NULL}' b[boolean]:true",
                "COMMIT 729",
                "BEGIN 731",
                "table public.a: INSERT: id[integer]:3 n[numeric]:1.50 nu[numeric]:-Infinity f[double precision]:-Infinity "
                        + "ts[timestamp with time zone]:'2020-01-01 08:00:00+00' d[date]:'0044-03-15 BC' "
                        + "t[time without time zone]:'12:00:00' note[text]:'a b' arr[integer[]]:null b[boolean]:null",
                "COMMIT 731"));

        assertThat(changes).hasSize(2);
        DecodedChange first = changes.get(0);
        assertThat(first.xid()).isEqualTo(729);
        assertThat(first.table()).isEqualTo(A);
        assertThat(first.op()).isEqualTo(Op.INSERT);
        assertThat(first.key(List.of("id"))).containsExactly("1");
        assertThat(first.newTuple())
                .extracting(DecodedChange.Value::text)
                .containsExactly(
                        "1",
                        "NaN",
                        "NaN",
                        "NaN",
                        "infinity",
                        "-infinity",
                        "24:00:00",
                        "it's \"x\" \\ back",
                        "{1,NULL}",
                        "true");
        assertThat(first.newValue("arr").type()).isEqualTo("integer[]");
        assertThat(first.newValue("ts").type()).isEqualTo("timestamp with time zone");
        DecodedChange third = changes.get(1);
        assertThat(third.xid()).isEqualTo(731);
        assertThat(third.ordinal()).isEqualTo(1);
        assertThat(third.newValue("d").text()).isEqualTo("0044-03-15 BC");
        assertThat(third.newValue("note").text()).isEqualTo("a b");
        assertThat(third.newValue("arr").text()).isNull();
        assertThat(third.newValue("b").text()).isNull();
    }

    @Test
    void updateOfTheKeyCarriesTheOldKeyAndQuotedNamesAreUnquoted() {
        List<DecodedChange> changes = TestDecodingParser.parse(List.of(
                "BEGIN 732",
                "table public.a: UPDATE: old-key: id[integer]:1 new-tuple: id[integer]:10 n[numeric]:NaN note[text]:'x'",
                "COMMIT 732",
                "BEGIN 736",
                "table public.\"Odd Name\": UPDATE: old-key: region[text]:'eu' line[integer]:1 new-tuple: region[text]:'eu' "
                        + "line[integer]:2 \"Qty\"[integer]:5",
                "COMMIT 736",
                "BEGIN 733",
                "table public.a: UPDATE: id[integer]:2 n[numeric]:2.00",
                "COMMIT 733"));

        assertThat(changes.get(0).keyBefore(List.of("id"))).containsExactly("1");
        assertThat(changes.get(0).key(List.of("id"))).containsExactly("10");
        DecodedChange odd = changes.get(1);
        assertThat(odd.table()).isEqualTo(ODD);
        assertThat(odd.keyBefore(List.of("region", "line"))).containsExactly("eu", "1");
        assertThat(odd.key(List.of("region", "line"))).containsExactly("eu", "2");
        assertThat(odd.newValue("Qty").text()).isEqualTo("5");
        assertThat(changes.get(2).oldKey()).isEmpty();
        assertThat(changes.get(2).keyBefore(List.of("id"))).containsExactly("2");
    }

    @Test
    void deleteNamesTheRowByItsOldKey() {
        List<DecodedChange> changes = TestDecodingParser.parse(List.of(
                "BEGIN 734",
                "table public.a: DELETE: id[integer]:3",
                "COMMIT 734",
                "BEGIN 737",
                "table public.\"Odd Name\": DELETE: region[text]:'eu' line[integer]:2",
                "COMMIT 737"));

        assertThat(changes.get(0).op()).isEqualTo(Op.DELETE);
        assertThat(changes.get(0).key(List.of("id"))).containsExactly("3");
        assertThat(changes.get(0).newTuple()).isEmpty();
        assertThat(changes.get(1).key(List.of("region", "line"))).containsExactly("eu", "2");
    }

    @Test
    void unchangedToastIsMarkedNotNull() {
        DecodedChange c = TestDecodingParser.parse(List.of(
                        "BEGIN 739",
                        "table public.docs: UPDATE: id[integer]:1 body[text]:unchanged-toast-datum",
                        "COMMIT 739"))
                .get(0);

        assertThat(c.newValue("body").unchangedToast()).isTrue();
        assertThat(c.newValue("body").text()).isNull();
        assertThat(c.newValue("id").unchangedToast()).isFalse();
    }

    @Test
    void truncateOfSeveralTablesIsOneChangePerTable() {
        List<DecodedChange> changes = TestDecodingParser.parse(List.of(
                "BEGIN 740",
                "table public.a: TRUNCATE: (no-flags)",
                "COMMIT 740",
                "BEGIN 741",
                "table public.a, public.\"Odd Name\": TRUNCATE: (no-flags)",
                "COMMIT 741",
                "BEGIN 742",
                "table public.docs: TRUNCATE: restart_seqs cascade",
                "COMMIT 742"));

        assertThat(changes).extracting(DecodedChange::table).containsExactly(A, A, ODD, new TableId("public", "docs"));
        assertThat(changes).extracting(DecodedChange::op).containsOnly(Op.TRUNCATE);
        assertThat(changes).extracting(DecodedChange::xid).containsExactly(740L, 741L, 741L, 742L);
        assertThat(changes.get(1).key(List.of("id"))).isEmpty();
    }

    @Test
    void logicalMessagesAreSkippedAndUnknownLinesFail() {
        assertThat(TestDecodingParser.parse(List.of("message: transactional: 1 prefix: p, sz: 5 content:hello")))
                .isEmpty();
        assertThatThrownBy(() -> TestDecodingParser.parse(List.of("BEGIN 1", "tabel public.a: INSERT: id[integer]:1")))
                .hasMessageContaining("not understood");
        assertThatThrownBy(
                        () -> TestDecodingParser.parse(List.of("BEGIN 1", "table public.a: INSERT: id[integer]:'open")))
                .hasMessageContaining("unterminated");
    }
}
