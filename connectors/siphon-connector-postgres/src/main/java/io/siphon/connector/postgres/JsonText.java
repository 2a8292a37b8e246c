package io.siphon.connector.postgres;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two JSON shapes the connector writes for the engine to store (split bounds as an array of
 * strings, offsets as an object of strings) and reads back. Kept to those shapes on purpose, so the
 * connector needs no JSON library.
 */
public final class JsonText {

    private JsonText() {}

    /** {@code ["a","b"]}; null elements are written as {@code null}. */
    public static String array(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendString(sb, values.get(i));
        }
        return sb.append(']').toString();
    }

    /** {@code {"k":"v"}} in the map's order. */
    public static String object(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendString(sb, e.getKey());
            sb.append(':');
            appendString(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    /**
     * Parses an array of strings (or nulls).
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} when the text is not such an array
     */
    public static List<String> parseArray(String json) {
        Parser p = new Parser(json);
        List<String> out = new ArrayList<>();
        p.skipSpace();
        p.expect('[');
        p.skipSpace();
        if (p.peek() == ']') {
            p.pos++;
        } else {
            while (true) {
                out.add(p.stringOrNull());
                p.skipSpace();
                char c = p.next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw p.error("',' or ']'");
                }
            }
        }
        p.end();
        return out;
    }

    /**
     * Parses an object whose values are strings (or nulls).
     *
     * @throws SiphonException {@link ErrorCode#DATA_INVALID} when the text is not such an object
     */
    public static Map<String, String> parseObject(String json) {
        Parser p = new Parser(json);
        Map<String, String> out = new LinkedHashMap<>();
        p.skipSpace();
        p.expect('{');
        p.skipSpace();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skipSpace();
                String key = p.stringOrNull();
                if (key == null) {
                    throw p.error("a field name");
                }
                p.skipSpace();
                p.expect(':');
                out.put(key, p.stringOrNull());
                p.skipSpace();
                char c = p.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw p.error("',' or '}'");
                }
            }
        }
        p.end();
        return out;
    }

    private static void appendString(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            if (text == null) {
                throw new SiphonException(
                        ErrorCode.DATA_INVALID, "expected JSON text but got null");
            }
            this.text = text;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        char peek() {
            if (pos >= text.length()) {
                throw error("more text");
            }
            return text.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw error("'" + c + "'");
            }
        }

        void end() {
            skipSpace();
            if (pos != text.length()) {
                throw error("the end of the text");
            }
        }

        String stringOrNull() {
            skipSpace();
            if (text.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("four hex digits");
                        }
                        try {
                            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("four hex digits");
                        }
                        pos += 4;
                    }
                    default -> throw error("an escape character");
                }
            }
        }

        SiphonException error(String expected) {
            return new SiphonException(
                    ErrorCode.DATA_INVALID,
                    "invalid JSON at character " + pos + ": expected " + expected);
        }
    }
}
