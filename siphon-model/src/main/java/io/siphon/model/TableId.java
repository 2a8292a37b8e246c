package io.siphon.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a table: a schema (namespace) and a table name, both case-sensitive as stored.
 *
 * <p>Parsing and formatting follow SQL rules in one place: an unquoted part is taken as written, a
 * part in double quotes may contain dots, spaces and {@code ""} for a quote. {@link #toString()}
 * quotes a part only where it would not parse back otherwise, so {@code parse(id.toString())}
 * always equals {@code id}.
 *
 * @param schema the schema (namespace), never blank
 * @param table the table name, never blank
 */
public record TableId(String schema, String table) implements Serializable, Comparable<TableId> {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** Checks both parts. */
    public TableId {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        if (schema.isEmpty() || table.isEmpty()) {
            throw new IllegalArgumentException("schema and table must not be empty");
        }
    }

    /** Creates a table id from its two parts. */
    public static TableId of(String schema, String table) {
        return new TableId(schema, table);
    }

    /**
     * Parses {@code schema.table} or {@code table} (then in {@code defaultSchema}); either part may
     * be double-quoted.
     *
     * @throws IllegalArgumentException when the text is not one or two identifiers
     */
    public static TableId parse(String text, String defaultSchema) {
        List<String> parts = splitQualifiedName(text);
        return switch (parts.size()) {
            case 1 -> new TableId(defaultSchema, parts.get(0));
            case 2 -> new TableId(parts.get(0), parts.get(1));
            default ->
                    throw new IllegalArgumentException(
                            "'" + text + "' is not a table name: write schema.table or table");
        };
    }

    /**
     * Splits a dotted name whose parts may be double-quoted ({@code "a.b".c} is two parts).
     *
     * @throws IllegalArgumentException on an empty part or an unclosed quote
     */
    public static List<String> splitQualifiedName(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        current.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                addPart(parts, current, wasQuoted, text);
                current.setLength(0);
                wasQuoted = false;
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("'" + text + "' has an unclosed double quote");
        }
        addPart(parts, current, wasQuoted, text);
        return parts;
    }

    private static void addPart(
            List<String> parts, StringBuilder current, boolean wasQuoted, String text) {
        String part = wasQuoted ? current.toString() : current.toString().strip();
        if (part.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has an empty name part");
        }
        parts.add(part);
    }

    /** Double-quotes an identifier when it is not a plain lower-case SQL name. */
    public static String quoteIfNeeded(String identifier) {
        return PLAIN.matcher(identifier).matches() ? identifier : quote(identifier);
    }

    /** Always double-quotes an identifier, doubling any quote inside it. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public int compareTo(TableId other) {
        int c = schema.compareTo(other.schema);
        return c != 0 ? c : table.compareTo(other.table);
    }

    /** {@code schema.table}, each part quoted only where needed. */
    @Override
    public String toString() {
        return quoteIfNeeded(schema) + "." + quoteIfNeeded(table);
    }
}
