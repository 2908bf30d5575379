package io.tributary.harness.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.event.Op;
import io.tributary.event.TableId;
import io.tributary.harness.standin.PostgresStandIn;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The oracle on a real server: what it decodes equals what SELECT returns as text, across pages. */
class TestDecodingSlotITCase {
    @Test
    void decodedValuesAreThePostgresTextOfTheCommittedRows() throws Exception {
        try (PostgresStandIn pg = PostgresStandIn.start()) {
            String db = pg.createDatabase("oracle");
            try (Connection c = pg.connect(db);
                    Statement s = c.createStatement()) {
                AdversarialSchema.create(c);
                TestDecodingSlot slot = TestDecodingSlot.create(c, "oracle_test");
                AdversarialSchema.seed(c, 1, true);
                String big = AdversarialValues.randomText(new SplittableRandom(1), 3_000_000);
                s.execute("INSERT INTO adv_docs (id, title, body, v) VALUES (100, 'big', '" + big + "', 0)");
                s.execute("UPDATE adv_docs SET v = 1 WHERE id = 100");
                s.execute("UPDATE adv_lines SET line = 99 WHERE region = 'north''s' AND line = 1");
                s.execute("BEGIN; INSERT INTO adv_tags VALUES (50, 'kept'); SAVEPOINT a;"
                        + " INSERT INTO adv_tags VALUES (51, 'rolled back'); ROLLBACK TO SAVEPOINT a; COMMIT");
                s.execute("BEGIN; INSERT INTO adv_tags VALUES (52, 'never'); ROLLBACK");
                // More than one page of changes (a page ends at a transaction boundary after 500).
                s.execute("INSERT INTO adv_tags SELECT g, 'bulk ' || g FROM generate_series(1000, 1700) g");
                s.execute("TRUNCATE adv_tags, adv_lines");

                List<DecodedChange> decoded = slot.drain(c);
                slot.drop(c);

                Map<TableId, List<String>> keys = TestDecodingSlot.primaryKeys(c, AdversarialSchema.TABLES);
                assertThat(keys.get(AdversarialSchema.LINES)).containsExactly("region", "line");
                s.execute("SET TimeZone = 'UTC'");
                for (DecodedChange d : decoded.stream()
                        .filter(d -> d.table().equals(AdversarialSchema.ITEMS))
                        .collect(Collectors.toList())) {
                    try (ResultSet rs = s.executeQuery("SELECT n::text, nu::text, f::text, ts::text, d::text, t::text,"
                            + " note FROM adv_items WHERE id = "
                            + d.key(List.of("id")).get(0))) {
                        assertThat(rs.next()).isTrue();
                        int i = 1;
                        for (String col : List.of("n", "nu", "f", "ts", "d", "t", "note")) {
                            assertThat(d.newValue(col).text())
                                    .as("%s of %s", col, d)
                                    .isEqualTo(rs.getString(i++));
                        }
                    }
                }
                assertThat(decoded.stream().filter(d -> d.table().equals(AdversarialSchema.ITEMS)))
                        .hasSize(24);
                DecodedChange bigInsert = decoded.stream()
                        .filter(d -> d.table().equals(AdversarialSchema.DOCS)
                                && d.op() == Op.INSERT
                                && d.key(List.of("id")).equals(List.of("100")))
                        .findFirst()
                        .orElseThrow();
                assertThat(bigInsert.newValue("body").text()).isEqualTo(big);
                DecodedChange untouched = decoded.get(decoded.indexOf(bigInsert) + 1);
                assertThat(untouched.op()).isEqualTo(Op.UPDATE);
                assertThat(untouched.newValue("body").unchangedToast()).isTrue();
                DecodedChange keyUpdate = decoded.get(decoded.indexOf(untouched) + 1);
                assertThat(keyUpdate.keyBefore(keys.get(AdversarialSchema.LINES)))
                        .containsExactly("north's", "1");
                assertThat(keyUpdate.key(keys.get(AdversarialSchema.LINES))).containsExactly("north's", "99");
                List<String> tagKeys = decoded.stream()
                        .filter(d -> d.table().equals(AdversarialSchema.TAGS) && d.op() == Op.INSERT)
                        .map(d -> d.key(List.of("id")).get(0))
                        .collect(Collectors.toList());
                assertThat(tagKeys).contains("50").doesNotContain("51", "52").hasSize(6 + 1 + 701);
                assertThat(decoded.subList(decoded.size() - 2, decoded.size()))
                        .extracting(DecodedChange::table, DecodedChange::op)
                        .containsExactly(
                                Tuple.tuple(AdversarialSchema.TAGS, Op.TRUNCATE),
                                Tuple.tuple(AdversarialSchema.LINES, Op.TRUNCATE));
                assertThat(decoded)
                        .extracting(DecodedChange::ordinal)
                        .isEqualTo(IntStream.range(0, decoded.size()).boxed().collect(Collectors.toList()));
            }
        }
    }
}
