package io.siphon.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The values of one row, in the column order of its {@link TableSchema}. Values follow the table in
 * {@link DataType}; a value may also be {@link Unchanged#VALUE} in a change event.
 *
 * <p>The array is owned by the row: callers must not change it after construction. It is not
 * copied, because rows are the hot path.
 *
 * @param values the column values
 */
public record Row(Object[] values) implements Serializable {

    /** A row of the given values. */
    public static Row of(Object... values) {
        return new Row(values);
    }

    /** The value at a column position. */
    public Object get(int index) {
        return values[index];
    }

    /** The number of values. */
    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row other && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values);
    }
}
