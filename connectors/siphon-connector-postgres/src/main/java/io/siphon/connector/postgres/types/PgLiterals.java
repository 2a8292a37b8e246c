package io.siphon.connector.postgres.types;

import java.util.ArrayList;
import java.util.List;

/**
 * Parsers of PostgreSQL's two nested text forms, as {@code array_out} and {@code record_out} write
 * them: array literals ({@code {1,NULL,"a b"}}, nested braces for more dimensions, an optional
 * {@code [0:2]=} prefix for lower bounds other than 1) and record literals ({@code (a,,"b
 * ""c""")}). They return the elements' own text forms, unescaped, so that a caller decodes each
 * element with the decoder of the element's type.
 */
final class PgLiterals {

    private PgLiterals() {}

    /**
     * The elements of an array literal: each a {@link String} (the element's text form), null for
     * NULL, or a {@link List} for an inner dimension. Lower bounds other than 1 are not kept, as in
     * {@link BinaryDecoders}.
     *
     * @param delimiter the element type's delimiter ({@code ,} for every type but {@code box})
     * @throws IllegalArgumentException when the text is not an array literal
     */
    static List<Object> array(String text, char delimiter) {
        Cursor c = new Cursor(text);
        if (c.peek() == '[') {
            // "[0:2]={...}": the bounds decoration before the braces.
            c.pos = text.indexOf('=') + 1;
            if (c.pos == 0) {
                throw c.error("'=' after the array bounds");
            }
        }
        List<Object> out = arrayLevel(c, delimiter);
        if (c.pos != text.length()) {
            throw c.error("the end of the array");
        }
        return out;
    }

    private static List<Object> arrayLevel(Cursor c, char delimiter) {
        c.expect('{');
        List<Object> out = new ArrayList<>();
        if (c.peek() == '}') {
            c.pos++;
            return out;
        }
        while (true) {
            out.add(c.peek() == '{' ? arrayLevel(c, delimiter) : arrayElement(c, delimiter));
            char next = c.next();
            if (next == '}') {
                return out;
            }
            if (next != delimiter) {
                throw c.error("'" + delimiter + "' or '}'");
            }
        }
    }

    /** One element; null for an unquoted, unescaped {@code NULL}. */
    private static String arrayElement(Cursor c, char delimiter) {
        StringBuilder sb = new StringBuilder();
        if (c.peek() == '"') {
            c.pos++;
            while (true) {
                char ch = c.next();
                if (ch == '\\') {
                    sb.append(c.next());
                } else if (ch == '"') {
                    return sb.toString();
                } else {
                    sb.append(ch);
                }
            }
        }
        boolean escaped = false;
        while (true) {
            char ch = c.peek();
            if (ch == delimiter || ch == '}') {
                break;
            }
            c.pos++;
            if (ch == '\\') {
                escaped = true;
                sb.append(c.next());
            } else {
                sb.append(ch);
            }
        }
        String element = sb.toString();
        return !escaped && element.equalsIgnoreCase("NULL") ? null : element;
    }

    /**
     * The fields of a record literal, in order; null for a NULL field (nothing between the commas),
     * {@code ""} for an empty string.
     *
     * @throws IllegalArgumentException when the text is not a record literal
     */
    static List<String> record(String text) {
        Cursor c = new Cursor(text);
        c.expect('(');
        List<String> out = new ArrayList<>();
        if (c.peek() == ')' && text.length() == 2) {
            return out;
        }
        while (true) {
            out.add(recordField(c));
            char next = c.next();
            if (next == ')') {
                break;
            }
            if (next != ',') {
                throw c.error("',' or ')'");
            }
        }
        if (c.pos != text.length()) {
            throw c.error("the end of the record");
        }
        return out;
    }

    private static String recordField(Cursor c) {
        char first = c.peek();
        if (first == ',' || first == ')') {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            char ch = c.peek();
            if (ch == ',' || ch == ')') {
                return sb.toString();
            }
            c.pos++;
            if (ch == '\\') {
                sb.append(c.next());
            } else if (ch == '"') {
                // Inside quotes a doubled quote is one quote and a backslash escapes anything.
                while (true) {
                    char q = c.next();
                    if (q == '\\') {
                        sb.append(c.next());
                    } else if (q == '"') {
                        if (c.pos < c.text.length() && c.text.charAt(c.pos) == '"') {
                            sb.append('"');
                            c.pos++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(q);
                    }
                }
            } else {
                sb.append(ch);
            }
        }
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        char peek() {
            if (pos >= text.length()) {
                throw error("more text");
            }
            return text.charAt(pos);
        }

        char next() {
            char ch = peek();
            pos++;
            return ch;
        }

        void expect(char ch) {
            if (next() != ch) {
                pos--;
                throw error("'" + ch + "'");
            }
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException(
                    "not a valid literal: expected " + expected + " at character " + pos);
        }
    }
}
