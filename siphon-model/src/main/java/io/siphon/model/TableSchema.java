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

    /**
     * The schema after a schema change: columns added (after the named column, else last), dropped,
     * renamed or retyped, the key following renames and drops. Changes to the table as a whole
     * (create, drop, rename) leave the schema as it is, except that a create brings its own. The
     * one evolution every part of Siphon applies, so that source, engine and sink agree.
     */
    public TableSchema evolve(ChangeEvent.SchemaChange change) {
        List<Column> newColumns = new ArrayList<>(columns);
        List<String> key = new ArrayList<>(primaryKey);
        switch (change) {
            case ChangeEvent.CreateTable c -> {
                return c.schema();
            }
            case ChangeEvent.DropTable d -> {
                return this;
            }
            case ChangeEvent.RenameTable r -> {
                return this;
            }
            case ChangeEvent.AddColumn a -> {
                int after = a.afterColumn() == null ? -1 : indexOf(a.afterColumn());
                newColumns.add(after < 0 ? newColumns.size() : after + 1, a.column());
            }
            case ChangeEvent.DropColumn d -> {
                newColumns.removeIf(c -> c.name().equals(d.columnName()));
                key.remove(d.columnName());
            }
            case ChangeEvent.RenameColumn r -> {
                int i = indexOf(r.oldName());
                Column old = newColumns.get(i);
                newColumns.set(i, old.withName(r.newName()));
                int k = key.indexOf(r.oldName());
                if (k >= 0) {
                    key.set(k, r.newName());
                }
            }
            case ChangeEvent.AlterColumnType t ->
                    newColumns.set(indexOf(t.column().name()), t.column());
        }
        return new TableSchema(id, newColumns, key);
    }

    /** The same schema under another table id. */
    public TableSchema withId(TableId newId) {
        return new TableSchema(newId, columns, primaryKey);
    }
}
