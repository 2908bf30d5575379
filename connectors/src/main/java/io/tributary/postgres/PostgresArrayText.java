package io.tributary.postgres;

import java.util.Locale;

/**
 * PostgreSQL's canonical text of an array ({@code array_out}), rebuilt from an array literal as pgjdbc's
 * {@code PgArray.toString()} gives it. The stream's PgArray holds the text pgoutput sent, which is already
 * canonical; the snapshot's holds the server's text too, until pgjdbc switches a statement run five times
 * to binary results and then renders the elements itself, quoting every one ({@code {{"1","2"}}}). Parsing
 * and printing again with PostgreSQL's quoting rule gives the same text in both cases.
 *
 * <p>Kept: the dimension decoration ({@code [0:1]={5,6}}) and element texts as given. Elements are
 * quoted when PostgreSQL would quote them: empty, {@code NULL} in any case, or holding a brace, comma,
 * double quote, backslash or white space; quote and backslash are escaped with a backslash.
 */
final class PostgresArrayText {
    private final String text;
    private int pos;

    private PostgresArrayText(String text) {
        this.text = text;
    }

    /** The canonical form of the array literal {@code literal}; throws IllegalArgumentException if it is not one. */
    static String canonical(String literal) {
        PostgresArrayText p = new PostgresArrayText(literal.trim());
        StringBuilder out = new StringBuilder();
        if (p.peek() == '[') {
            int eq = p.text.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not an array literal: " + literal);
            }
            out.append(p.text, 0, eq + 1);
            p.pos = eq + 1;
        }
        p.skipSpace();
        p.array(out);
        p.skipSpace();
        if (p.pos != p.text.length()) {
            throw new IllegalArgumentException("not an array literal (text after the closing brace): " + literal);
        }
        return out.toString();
    }

    private void array(StringBuilder out) {
        expect('{');
        out.append('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
            out.append('}');
            return;
        }
        while (true) {
            skipSpace();
            if (peek() == '{') {
                array(out);
            } else {
                element(out);
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                out.append('}');
                return;
            }
            if (c != ',') {
                throw new IllegalArgumentException(
                        "not an array literal (expected , or } at " + (pos - 1) + "): " + text);
            }
            out.append(',');
        }
    }

    private void element(StringBuilder out) {
        if (peek() == '"') {
            pos++;
            StringBuilder e = new StringBuilder();
            for (char c = next(); c != '"'; c = next()) {
                e.append(c == '\\' ? next() : c);
            }
            out.append(quote(e.toString()));
            return;
        }
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != '}') {
            pos++;
        }
        String e = text.substring(start, pos).trim();
        out.append(e.equalsIgnoreCase("NULL") ? "NULL" : quote(e));
    }

    /** array_out's rule for one element's text. */
    static String quote(String e) {
        boolean needs = e.isEmpty() || e.toUpperCase(Locale.ROOT).equals("NULL");
        for (int i = 0; i < e.length() && !needs; i++) {
            char c = e.charAt(i);
            needs = c == '{'
                    || c == '}'
                    || c == ','
                    || c == '"'
                    || c == '\\'
                    || c == ' '
                    || c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || c == '\u000B'
                    || c == '\f';
        }
        if (!needs) {
            return e;
        }
        return "\"" + e.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw new IllegalArgumentException("not an array literal (ends early): " + text);
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException(
                    "not an array literal (expected " + c + " at " + (pos - 1) + "): " + text);
        }
    }
}
