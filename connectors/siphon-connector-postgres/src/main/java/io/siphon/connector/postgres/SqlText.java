package io.siphon.connector.postgres;

import io.siphon.model.TableId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How names and values are written into SQL text. Identifiers are always double-quoted (through
 * {@link TableId#quote}), so mixed case, spaces, reserved words, quotes and any Unicode work.
 */
public final class SqlText {

    private SqlText() {}

    /** A double-quoted identifier. */
    public static String quote(String identifier) {
        return TableId.quote(identifier);
    }

    /** {@code "schema"."table"}. */
    public static String quote(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    /** {@code "a", "b"}. */
    public static String quoteAll(List<String> identifiers) {
        return identifiers.stream().map(SqlText::quote).collect(Collectors.joining(", "));
    }

    /**
     * A string literal that means the same whatever {@code standard_conforming_strings} is: an
     * escape string with backslashes and quotes doubled.
     */
    public static String literal(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
