package io.tributary.harness.adversarial;

import io.tributary.event.Op;
import io.tributary.event.TableId;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the text lines of PostgreSQL's {@code test_decoding} output plugin (options
 * {@code include-xids 1}), as PostgreSQL 15 prints them (captured in {@code TestDecodingParserTest}):
 * <pre>
 * BEGIN 729
 * table public.a: INSERT: id[integer]:1 n[numeric]:NaN ts[timestamp with time zone]:'infinity' note[text]:'it''s'
 * table public.a: UPDATE: old-key: id[integer]:1 new-tuple: id[integer]:10 …
 * table public.docs: UPDATE: id[integer]:1 body[text]:unchanged-toast-datum
 * table public.a: DELETE: id[integer]:3
 * table public.a, public."Odd Name": TRUNCATE: (no-flags)
 * COMMIT 729
 * message: transactional: 1 prefix: p, sz: 5 content:hello
 * </pre>
 * Names are quoted as {@code quote_identifier} does; values of types other than numbers and
 * booleans are single-quoted with quotes doubled; {@code null} is SQL NULL. Feed lines in slot
 * order; {@link #changes()} returns what was parsed. A line it does not understand is an error,
 * so a format change cannot make the oracle silently lose changes.
 */
public final class TestDecodingParser {
    private final List<DecodedChange> changes = new ArrayList<>();
    private long xid = -1;

    /** Parses one output row of {@code pg_logical_slot_get_changes}: its {@code lsn} and {@code data}. */
    public void accept(String lsn, String data) {
        if (data.startsWith("BEGIN ")) {
            xid = Long.parseLong(data.substring(6).trim());
        } else if (data.startsWith("COMMIT")) {
            xid = -1;
        } else if (data.startsWith("message:")) {
            return; // pg_logical_emit_message: not a row change
        } else if (data.startsWith("table ")) {
            if (xid < 0) {
                throw new IllegalStateException("change outside BEGIN/COMMIT (is include-xids on?): " + data);
            }
            new Line(lsn, data).parse();
        } else {
            throw new IllegalArgumentException("test_decoding line not understood: " + DecodedChange.abbreviate(data));
        }
    }

    public List<DecodedChange> changes() {
        return changes;
    }

    /** Parses one line; convenience for tests. */
    public static List<DecodedChange> parse(List<String> lines) {
        TestDecodingParser p = new TestDecodingParser();
        for (String l : lines) {
            p.accept("0/0", l);
        }
        return p.changes();
    }

    /** A cursor over one {@code table …} line. */
    private final class Line {
        private final String lsn;
        private final String s;
        private int at;

        Line(String lsn, String s) {
            this.lsn = lsn;
            this.s = s;
            this.at = "table ".length();
        }

        void parse() {
            List<TableId> tables = new ArrayList<>();
            while (true) {
                String schema = identifier();
                expect(".");
                tables.add(new TableId(schema, identifier()));
                if (s.startsWith(", ", at)) {
                    at += 2;
                } else {
                    expect(": ");
                    break;
                }
            }
            int colon = s.indexOf(':', at);
            if (colon < 0) {
                throw error("no op");
            }
            Op op = op(s.substring(at, colon));
            at = colon + 1;
            skipSpaces();
            List<DecodedChange.Value> oldKey = new ArrayList<>();
            List<DecodedChange.Value> newTuple = new ArrayList<>();
            switch (op) {
                case TRUNCATE:
                    break; // flags: (no-flags), restart_seqs, cascade
                case INSERT:
                    tuple(newTuple, null);
                    break;
                case DELETE:
                    if (!s.startsWith("(no-tuple data)", at)) {
                        tuple(oldKey, null);
                    }
                    break;
                default:
                    if (s.startsWith("old-key: ", at) || s.startsWith("old-tuple: ", at)) {
                        at = s.indexOf(' ', at) + 1;
                        tuple(oldKey, "new-tuple: ");
                        expect("new-tuple: ");
                    }
                    tuple(newTuple, null);
            }
            for (TableId t : tables) {
                changes.add(new DecodedChange(xid, lsn, changes.size(), t, op, oldKey, newTuple));
            }
        }

        private Op op(String word) {
            switch (word) {
                case "INSERT":
                    return Op.INSERT;
                case "UPDATE":
                    return Op.UPDATE;
                case "DELETE":
                    return Op.DELETE;
                case "TRUNCATE":
                    return Op.TRUNCATE;
                default:
                    throw error("unknown op " + word);
            }
        }

        /** Columns {@code name[type]:value} separated by single spaces, up to the end or {@code stop}. */
        private void tuple(List<DecodedChange.Value> out, String stop) {
            while (at < s.length() && (stop == null || !s.startsWith(stop, at))) {
                String name = identifier();
                expect("[");
                int end = s.indexOf("]:", at);
                if (end < 0) {
                    throw error("no ]: after the type of " + name);
                }
                String type = s.substring(at, end);
                at = end + 2;
                out.add(value(name, type));
                if (at < s.length()) {
                    expect(" ");
                }
            }
        }

        private DecodedChange.Value value(String name, String type) {
            if (s.startsWith("'", at)) {
                return new DecodedChange.Value(name, type, quoted(), false);
            }
            if (s.startsWith("B'", at)) { // bit and varbit print as B'0101'
                at++;
                return new DecodedChange.Value(name, type, quoted(), false);
            }
            int end = s.indexOf(' ', at);
            end = end < 0 ? s.length() : end;
            String word = s.substring(at, end);
            at = end;
            switch (word) {
                case "null":
                    return new DecodedChange.Value(name, type, null, false);
                case "unchanged-toast-datum":
                    return new DecodedChange.Value(name, type, null, true);
                default:
                    return new DecodedChange.Value(name, type, word, false);
            }
        }

        /** A single-quoted literal with quotes doubled; the cursor ends after the closing quote. */
        private String quoted() {
            StringBuilder out = new StringBuilder();
            int i = at + 1;
            while (true) {
                int q = s.indexOf('\'', i);
                if (q < 0) {
                    throw error("unterminated literal");
                }
                out.append(s, i, q);
                if (q + 1 < s.length() && s.charAt(q + 1) == '\'') {
                    out.append('\'');
                    i = q + 2;
                } else {
                    at = q + 1;
                    return out.toString();
                }
            }
        }

        /** A name as quote_identifier prints it: bare, or in double quotes with quotes doubled. */
        private String identifier() {
            if (s.startsWith("\"", at)) {
                StringBuilder out = new StringBuilder();
                int i = at + 1;
                while (true) {
                    int q = s.indexOf('"', i);
                    if (q < 0) {
                        throw error("unterminated quoted name");
                    }
                    out.append(s, i, q);
                    if (q + 1 < s.length() && s.charAt(q + 1) == '"') {
                        out.append('"');
                        i = q + 2;
                    } else {
                        at = q + 1;
                        return out.toString();
                    }
                }
            }
            int start = at;
            while (at < s.length() && "[.:, ".indexOf(s.charAt(at)) < 0) {
                at++;
            }
            if (at == start) {
                throw error("empty name");
            }
            return s.substring(start, at);
        }

        private void expect(String token) {
            if (!s.startsWith(token, at)) {
                throw error("expected '" + token + "'");
            }
            at += token.length();
        }

        private void skipSpaces() {
            while (at < s.length() && s.charAt(at) == ' ') {
                at++;
            }
        }

        private IllegalArgumentException error(String what) {
            int from = Math.max(0, at - 30);
            return new IllegalArgumentException("test_decoding line not understood (" + what + ") at column " + at
                    + ": …" + s.substring(from, Math.min(s.length(), at + 30)) + "…");
        }
    }
}
