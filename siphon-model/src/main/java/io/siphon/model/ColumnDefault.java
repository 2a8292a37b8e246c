package io.siphon.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a column stores when an insert names no value for it ({@link Column#defaultValue()}). Rows
 * in a change stream always carry every value, so a default matters only to a sink creating the
 * column, for the target's own later inserts.
 */
public sealed interface ColumnDefault extends Serializable
        permits ColumnDefault.Literal, ColumnDefault.Expression {

    /**
     * A constant, which any sink can write as its own literal.
     *
     * @param value the Java value of the column's {@link DataType}; null for {@code DEFAULT NULL}
     */
    record Literal(Object value) implements ColumnDefault {}

    /**
     * An expression evaluated on insert ({@code now()}, {@code CURRENT_TIMESTAMP}, {@code
     * gen_random_uuid()}, ...), in the source's SQL as its catalog shows it. A sink of the same
     * kind may reuse it; another sink uses it only where it knows the same function, and otherwise
     * creates the column without a default.
     *
     * @param sql the expression
     */
    record Expression(String sql) implements ColumnDefault {
        /** Checks the expression. */
        public Expression {
            Objects.requireNonNull(sql, "sql");
        }
    }
}
