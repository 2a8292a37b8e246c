package io.siphon.spi;

import io.siphon.model.TableId;
import java.io.Serializable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern for table names, written {@code schema.table} where each part is a regular expression
 * matched against the whole name ({@code public.order_items_.*}); a part that is just {@code *}
 * means any name ({@code public.*}). The schema part is split off at the first dot outside double
 * quotes; a part in double quotes is taken literally. Without a schema part the connector's default
 * schema is used.
 *
 * @param schema regular expression for the schema name
 * @param table regular expression for the table name
 * @param text the pattern as written
 */
public record TablePattern(Pattern schema, Pattern table, String text) implements Serializable {

    /**
     * Parses a pattern.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} when a part is not a valid
     *     regular expression
     */
    public static TablePattern parse(String text) {
        String schemaPart = null;
        String tablePart;
        int split = firstUnquotedDot(text);
        if (split < 0) {
            tablePart = text;
        } else {
            schemaPart = text.substring(0, split);
            tablePart = text.substring(split + 1);
        }
        Pattern schema = schemaPart == null ? null : compile(schemaPart, text);
        return new TablePattern(schema, compile(tablePart, text), text);
    }

    private static int firstUnquotedDot(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static Pattern compile(String part, String text) {
        String p = part.strip();
        if (p.equals("*")) {
            return Pattern.compile(".*");
        }
        if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
            return Pattern.compile(
                    Pattern.quote(p.substring(1, p.length() - 1).replace("\"\"", "\"")));
        }
        try {
            return Pattern.compile(p);
        } catch (PatternSyntaxException e) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "table pattern '"
                            + text
                            + "' is not a valid regular expression: "
                            + e.getDescription());
        }
    }

    /**
     * Whether the table matches both parts.
     *
     * @param defaultSchema the connector's default schema, for a pattern without a schema part
     */
    public boolean matches(TableId id, String defaultSchema) {
        boolean schemaMatches =
                schema == null
                        ? id.schema().equals(defaultSchema)
                        : schema.matcher(id.schema()).matches();
        return schemaMatches && table.matcher(id.table()).matches();
    }

    /**
     * The one table a pattern without regular-expression characters names, for "table not found"
     * errors; empty for a real pattern.
     */
    public java.util.Optional<TableId> literalTable(String defaultSchema) {
        if ((schema == null || isLiteralPart(schema.pattern())) && isLiteralPart(table.pattern())) {
            String s = schema == null ? defaultSchema : unquote(schema.pattern());
            return java.util.Optional.of(new TableId(s, unquote(table.pattern())));
        }
        return java.util.Optional.empty();
    }

    /**
     * The schema this pattern names when its schema part is a plain name (or absent: the default
     * schema); empty when the schema part is itself a pattern.
     */
    public java.util.Optional<String> literalSchema(String defaultSchema) {
        if (schema == null) {
            return java.util.Optional.ofNullable(defaultSchema);
        }
        return isLiteralPart(schema.pattern())
                ? java.util.Optional.of(unquote(schema.pattern()))
                : java.util.Optional.empty();
    }

    private static String unquote(String p) {
        return p.startsWith("\\Q") && p.endsWith("\\E") ? p.substring(2, p.length() - 2) : p;
    }

    private static boolean isLiteralPart(String p) {
        return p.startsWith("\\Q") || !p.matches(".*[.*+?\\[\\](){}|^$\\\\].*");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TablePattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
