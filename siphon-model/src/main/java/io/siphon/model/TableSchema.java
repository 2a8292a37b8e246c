package io.siphon.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The shape of a table: its columns in order and its primary key.
 *
 * @param id the table
 * @param columns the columns in their declared order
 * @param primaryKey the names of the primary key columns in key order; empty when the table has no
 *     key
 */
public record TableSchema(TableId id, List<Column> columns, List<String> primaryKey)
        implements Serializable {

    /** Copies the lists and checks that key columns exist and names are unique. */
    public TableSchema {
        Objects.requireNonNull(id, "id");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        Set<String> names = new HashSet<>();
        for (Column c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(
                        "table " + id + " has two columns named " + c.name());
            }
        }
        for (String k : primaryKey) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException(
                        "primary key column " + k + " is not a column of " + id);
            }
        }
    }

    /** Whether the table has a primary key. */
    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    /** The position of a column, or -1. */
    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /** The column with that name. */
    public Column column(String columnName) {
        int i = indexOf(columnName);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + columnName + " in " + id);
        }
        return columns.get(i);
    }

    /** Positions of the primary key columns in key order. */
    public int[] keyIndexes() {
        return primaryKey.stream().mapToInt(this::indexOf).toArray();
    }

    /** The column names in order. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>(columns.size());
        for (Column c : columns) {
            names.add(c.name());
        }
        return names;
    }

    /** The same schema under another table id. */
    public TableSchema withId(TableId newId) {
        return new TableSchema(newId, columns, primaryKey);
    }
}
