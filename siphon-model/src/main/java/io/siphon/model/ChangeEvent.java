package io.siphon.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * Something that happened to a table at the source. Data changes and schema changes travel in one
 * ordered stream; a schema change comes before the rows that depend on it.
 *
 * <p>Consumers switch over the permitted types exhaustively:
 *
 * <pre>{@code
 * switch (event) {
 *     case Insert i -> ...
 *     case Update u -> ...
 *     case Delete d -> ...
 *     case Truncate t -> ...
 *     case SchemaChange s -> ...
 * }
 * }</pre>
 */
public sealed interface ChangeEvent extends Serializable
        permits ChangeEvent.DataChange, ChangeEvent.Truncate, ChangeEvent.SchemaChange {

    /** The table changed. */
    TableId table();

    /** Source position, commit time and transaction. */
    EventMeta meta();

    /** A change to the rows of a table. */
    sealed interface DataChange extends ChangeEvent
            permits ChangeEvent.Insert, ChangeEvent.Update, ChangeEvent.Delete {}

    /**
     * A new row.
     *
     * @param table the table
     * @param after the new row
     * @param meta source position and time
     */
    record Insert(TableId table, Row after, EventMeta meta) implements DataChange {
        /** Checks the row. */
        public Insert {
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * A changed row. When the primary key changed, {@code before} holds the old key and a sink
     * removes the old row before writing the new one.
     *
     * @param table the table
     * @param before the old row: complete or key-only (see {@code beforeIsKeyOnly}); never null
     * @param beforeIsKeyOnly whether {@code before} holds only the key columns (others are null)
     * @param after the new row; unchanged large values are {@link Unchanged#VALUE}
     * @param meta source position and time
     */
    record Update(TableId table, Row before, boolean beforeIsKeyOnly, Row after, EventMeta meta)
            implements DataChange {
        /** Checks the rows. */
        public Update {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * A removed row.
     *
     * @param table the table
     * @param before the removed row: complete or key-only; never null
     * @param beforeIsKeyOnly whether {@code before} holds only the key columns (others are null)
     * @param meta source position and time
     */
    record Delete(TableId table, Row before, boolean beforeIsKeyOnly, EventMeta meta)
            implements DataChange {
        /** Checks the row. */
        public Delete {
            Objects.requireNonNull(before, "before");
        }
    }

    /**
     * All rows of the table were removed.
     *
     * @param table the table
     * @param meta source position and time
     */
    record Truncate(TableId table, EventMeta meta) implements ChangeEvent {}

    /** A change to the structure of a table; applied by sinks before the rows after it. */
    sealed interface SchemaChange extends ChangeEvent
            permits CreateTable,
                    DropTable,
                    RenameTable,
                    AddColumn,
                    DropColumn,
                    RenameColumn,
                    AlterColumnType {}

    /**
     * A new table.
     *
     * @param table the table
     * @param schema its schema
     * @param meta source position and time
     */
    record CreateTable(TableId table, TableSchema schema, EventMeta meta) implements SchemaChange {}

    /**
     * A table was dropped.
     *
     * @param table the table
     * @param meta source position and time
     */
    record DropTable(TableId table, EventMeta meta) implements SchemaChange {}

    /**
     * A table was renamed.
     *
     * @param table the old name
     * @param newName the new name
     * @param meta source position and time
     */
    record RenameTable(TableId table, TableId newName, EventMeta meta) implements SchemaChange {}

    /**
     * A column was added.
     *
     * @param table the table
     * @param column the new column
     * @param afterColumn the column it follows, or null when it is last
     * @param meta source position and time
     */
    record AddColumn(TableId table, Column column, String afterColumn, EventMeta meta)
            implements SchemaChange {}

    /**
     * A column was dropped.
     *
     * @param table the table
     * @param columnName the dropped column
     * @param meta source position and time
     */
    record DropColumn(TableId table, String columnName, EventMeta meta) implements SchemaChange {}

    /**
     * A column was renamed.
     *
     * @param table the table
     * @param oldName the old name
     * @param newName the new name
     * @param meta source position and time
     */
    record RenameColumn(TableId table, String oldName, String newName, EventMeta meta)
            implements SchemaChange {}

    /**
     * A column changed type.
     *
     * @param table the table
     * @param column the column with its new type
     * @param meta source position and time
     */
    record AlterColumnType(TableId table, Column column, EventMeta meta) implements SchemaChange {}
}
