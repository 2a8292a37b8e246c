package io.siphon.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * One column of a table.
 *
 * @param name the column name as stored (case-sensitive)
 * @param type the portable type
 * @param nullable whether the column accepts NULL
 * @param nativeType the source's full type declaration (for example {@code numeric(12,2)}, {@code
 *     public.mood}, {@code int4range[]}), so that a sink of the same kind can recreate the exact
 *     type; may be null when the column did not come from a database
 */
public record Column(String name, DataType type, boolean nullable, String nativeType)
        implements Serializable {

    /** Checks the name and type. */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** A nullable column with no native type. */
    public static Column of(String name, DataType type) {
        return new Column(name, type, true, null);
    }
}
