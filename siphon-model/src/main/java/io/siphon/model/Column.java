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
 * @param missingValue the value that rows written before the column existed have for it, as the
 *     Java value of {@code type} (see {@link DataType}); null when they have NULL. A column added
 *     with a constant default to a table that has rows gets one (PostgreSQL 11+ keeps it as the
 *     column's "fast default", {@code pg_attribute.attmissingval}, and writes no row); a sink that
 *     adds the column gives its existing rows this value, and a source reading a row written before
 *     the column was added reads this value for it.
 * @param generatedExpression for a stored generated column ({@code GENERATED ALWAYS AS (...)
 *     STORED}), the expression that computes it, in the source's SQL (PostgreSQL: as {@code
 *     pg_get_expr} writes it, names qualified where the source's search path would need them); null
 *     for an ordinary column. A sink that can computes the column itself from that expression and
 *     never writes it, because change streams (PostgreSQL's before version 18) do not carry
 *     generated values.
 */
public record Column(
        String name,
        DataType type,
        boolean nullable,
        String nativeType,
        Object missingValue,
        String generatedExpression)
        implements Serializable {

    /** Checks the name and type. */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** An ordinary (not generated) column. */
    public Column(
            String name, DataType type, boolean nullable, String nativeType, Object missingValue) {
        this(name, type, nullable, nativeType, missingValue, null);
    }

    /** A column whose earlier rows, if any, have NULL for it. */
    public Column(String name, DataType type, boolean nullable, String nativeType) {
        this(name, type, nullable, nativeType, null);
    }

    /** A nullable column with no native type. */
    public static Column of(String name, DataType type) {
        return new Column(name, type, true, null);
    }

    /** The same column under another name. */
    public Column withName(String newName) {
        return new Column(newName, type, nullable, nativeType, missingValue, generatedExpression);
    }

    /** Whether the column is a stored generated column (see {@link #generatedExpression()}). */
    public boolean generated() {
        return generatedExpression != null;
    }
}
