package io.siphon.connector.mysql;

import io.siphon.model.TableId;
import java.util.List;
import java.util.stream.Collectors;

/** Quoting of names and literals in the SQL this connector writes. */
public final class SqlText {

    private SqlText() {}

    /** A name in backquotes, inner backquotes doubled. */
    public static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** {@code `database`.`table`}. */
    public static String quote(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    /** Names quoted and separated by commas. */
    public static String quoteAll(List<String> identifiers) {
        return identifiers.stream().map(SqlText::quote).collect(Collectors.joining(", "));
    }

    /**
     * A string literal in single quotes, valid whatever the session's {@code sql_mode} says of
     * backslashes: quotes are doubled and the literal holds no backslash escapes.
     */
    public static String literal(String value) {
        if (value.indexOf('\\') >= 0) {
            // Without NO_BACKSLASH_ESCAPES a backslash escapes; a hex literal is read the same
            // in both modes.
            return "_utf8mb4 X'"
                    + java.util.HexFormat.of()
                            .formatHex(value.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + "'";
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
