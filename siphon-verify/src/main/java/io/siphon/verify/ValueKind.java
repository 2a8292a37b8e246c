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
    /**
     * A signed span of time that may pass a day: MySQL {@code TIME} (-838:59:59 to 838:59:59),
     * copied into PostgreSQL as {@code interval}.
     */
    DURATION,
    /** PostgreSQL {@code interval}: months, days and time, compared by its text. */
    INTERVAL,
    /** PostgreSQL {@code bit} and {@code varbit}: a string of 0 and 1. */
    BITS,
    /** PostgreSQL {@code text[]}, the copy of a MySQL {@code SET}. */
    TEXT_ARRAY,
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
        if (pair.equals(Set.of(DURATION, INTERVAL)) || pair.equals(Set.of(DURATION, TIME))) {
            // MySQL's TIME is a span; PostgreSQL's interval (or time, for a span within a day)
            // holds it. Both print [-]H:MM:SS[.f] for such values.
            return DURATION;
        }
        if (pair.equals(Set.of(INTEGER, BITS))) {
            // MySQL's BIT(n) reads as its number, PostgreSQL's bit(n) as its digits.
            return INTEGER;
        }
        if (pair.equals(Set.of(JSON, TEXT_ARRAY))) {
            // A MySQL sink keeps another system's array as a JSON array.
            return JSON;
        }
        if (pair.equals(Set.of(TEXT, TEXT_ARRAY))) {
            // MySQL's SET reads as its members joined by commas; its copy is a text[].
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
            case DURATION -> "spans of time";
            case INTERVAL -> "intervals";
            case BITS -> "bit strings";
            case TEXT_ARRAY -> "text arrays";
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
            case TEXT, JSON, UUID, OTHER, INTERVAL, BITS, TEXT_ARRAY -> true;
            case BOOLEAN,
                    INTEGER,
                    DECIMAL,
                    FLOAT,
                    BYTES,
                    DATE,
                    TIME,
                    DURATION,
                    WALL_CLOCK,
                    INSTANT ->
                    false;
        };
    }
}
