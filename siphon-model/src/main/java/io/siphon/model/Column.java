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
 * @param defaultValue what an insert that names no value for the column stores: a portable {@link
 *     ColumnDefault.Literal} or a source {@link ColumnDefault.Expression}; null when the column has
 *     no default (inserts store NULL)
 * @param autoIncrement whether the source numbers new rows itself in this column (MySQL {@code
 *     AUTO_INCREMENT}, PostgreSQL identity and {@code serial} columns); rows always carry the value
 *     the source gave, so a sink writes it as it is and only uses the flag when it creates the
 *     column, so that the target numbers its own inserts too
 * @param collation how the source compares the column's text, when that is not exact (code-point)
 *     equality; null for exact equality and for columns that are not text. A case-insensitive key
 *     column holds values that an exact target key would tell apart, and the other way round: sinks
 *     read it to choose a target collation that keeps key equality
 */
public record Column(
        String name,
        DataType type,
        boolean nullable,
        String nativeType,
        Object missingValue,
        String generatedExpression,
        ColumnDefault defaultValue,
        boolean autoIncrement,
        Collation collation)
        implements Serializable {

    /** Checks the name and type. */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** A column without a default, numbering or collation of its own. */
    public Column(
            String name,
            DataType type,
            boolean nullable,
            String nativeType,
            Object missingValue,
            String generatedExpression) {
        this(
                name,
                type,
                nullable,
                nativeType,
                missingValue,
                generatedExpression,
                null,
                false,
                null);
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
        return new Column(
                newName,
                type,
                nullable,
                nativeType,
                missingValue,
                generatedExpression,
                defaultValue,
                autoIncrement,
                collation);
    }

    /** The same column with another default (null for none). */
    public Column withDefault(ColumnDefault newDefault) {
        return new Column(
                name,
                type,
                nullable,
                nativeType,
                missingValue,
                generatedExpression,
                newDefault,
                autoIncrement,
                collation);
    }

    /** The same column, numbered by its database or not. */
    public Column withAutoIncrement(boolean newAutoIncrement) {
        return new Column(
                name,
                type,
                nullable,
                nativeType,
                missingValue,
                generatedExpression,
                defaultValue,
                newAutoIncrement,
                collation);
    }

    /** The same column with another collation (null for exact equality). */
    public Column withCollation(Collation newCollation) {
        return new Column(
                name,
                type,
                nullable,
                nativeType,
                missingValue,
                generatedExpression,
                defaultValue,
                autoIncrement,
                newCollation);
    }

    /** Whether the column is a stored generated column (see {@link #generatedExpression()}). */
    public boolean generated() {
        return generatedExpression != null;
    }
}
