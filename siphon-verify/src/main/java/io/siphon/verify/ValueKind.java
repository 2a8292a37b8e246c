package io.siphon.verify;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Set;

/**
 * What a column's values mean, independent of the system that stores them: the portable comparison
 * normalises a value by its kind, so that PostgreSQL's and MySQL's forms of one value compare
 * equal.
 */
enum ValueKind {
    BOOLEAN,
    INTEGER,
    DECIMAL,
    FLOAT,
    TEXT,
    BYTES,
    DATE,
    TIME,
    /** A wall-clock date and time: PostgreSQL {@code timestamp}, MySQL {@code DATETIME}. */
    WALL_CLOCK,
    /** A point in time: PostgreSQL {@code timestamptz}, MySQL {@code TIMESTAMP}. */
    INSTANT,
    JSON,
    UUID,
    /** Anything else, compared by the text form its system prints. */
    OTHER;

    /**
     * The kind both sides of a column are compared as; the pairs listed are the ones that a copy
     * between PostgreSQL and MySQL produces.
     *
     * @throws SiphonException {@link ErrorCode#SCHEMA_MISMATCH} when the kinds have no common
     *     meaning (a wall-clock value against an instant, a number against text, ...)
     */
    static ValueKind common(String column, ValueKind left, ValueKind right) {
        if (left == right) {
            return left;
        }
        Set<ValueKind> pair = Set.of(left, right);
        if (pair.equals(Set.of(BOOLEAN, INTEGER))) {
            // MySQL's BOOLEAN is TINYINT(1): true and false compare as 1 and 0, so that a 2 in
            // the TINYINT shows as a difference instead of passing as true.
            return INTEGER;
        }
        if (pair.equals(Set.of(INTEGER, DECIMAL))) {
            return DECIMAL;
        }
        if (pair.contains(TEXT) && (pair.contains(JSON) || pair.contains(UUID))) {
            // MySQL stores UUIDs in CHAR(36); MariaDB's JSON is LONGTEXT.
            return left == TEXT ? right : left;
        }
        if (pair.equals(Set.of(TEXT, OTHER))) {
            return TEXT;
        }
        throw new SiphonException(
                ErrorCode.SCHEMA_MISMATCH,
                "Column "
                        + column
                        + " holds "
                        + describe(left)
                        + " on the left and "
                        + describe(right)
                        + " on the right: their values cannot be compared. Give the column types of"
                        + " the same meaning on both sides (docs/architecture.md, \"Portable"
                        + " verification\", lists the pairs)");
    }

    private static String describe(ValueKind kind) {
        return switch (kind) {
            case BOOLEAN -> "booleans";
            case INTEGER -> "integers";
            case DECIMAL -> "exact decimals";
            case FLOAT -> "floating-point numbers";
            case TEXT -> "text";
            case BYTES -> "bytes";
            case DATE -> "dates";
            case TIME -> "times of day";
            case WALL_CLOCK -> "wall-clock timestamps";
            case INSTANT -> "instants (timestamps with a time zone)";
            case JSON -> "JSON";
            case UUID -> "UUIDs";
            case OTHER -> "values of a system-specific type";
        };
    }

    /** Whether rows are ordered by the binary (code point) order of the value's text form. */
    boolean orderedAsText() {
        return switch (this) {
            case TEXT, JSON, UUID, OTHER -> true;
            case BOOLEAN, INTEGER, DECIMAL, FLOAT, BYTES, DATE, TIME, WALL_CLOCK, INSTANT -> false;
        };
    }
}
