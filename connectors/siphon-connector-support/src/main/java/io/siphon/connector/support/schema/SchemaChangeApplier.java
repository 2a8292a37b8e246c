package io.siphon.connector.support.schema;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a source's schema changes to a target table over JDBC: the applier half of a connector's
 * metadata accessor/applier pair. The decisions are the same for every SQL target and live here;
 * what differs (how a table is described and created, how a column is added or retyped, quoting) is
 * the connector's {@link Dialect}.
 *
 * <p>Every change can be applied twice, because after a restart the engine replays changes the
 * target may already have: a column is added only when missing, dropped only when present, renamed
 * only when the old name is there and the new one is not, and its type changed only when it
 * differs. Nothing that loses user data happens by itself: a dropped source table leaves the target
 * as it is, and a type change that could cut values is refused with the statement the user can run
 * when the values fit. Runs on a writer's thread and connection.
 */
public final class SchemaChangeApplier {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeApplier.class);

    /** What one SQL target family does differently; called on the applier's thread. */
    public interface Dialect {

        /** The target table as it is now, or null when it does not exist. */
        TableSchema describe(TableId target) throws SQLException;

        /** A quoted table name. */
        String quote(TableId table);

        /** A quoted column name. */
        String quote(String column);

        /** Creates the table the change names (or checks the one there) and returns its schema. */
        TableSchema createTable(TableId target, ChangeEvent.CreateTable create) throws SQLException;

        /** The statement that renames the target table, with {@code ...} for the new name. */
        String renameTable(TableId target);

        /**
         * The {@code ALTER TABLE} that adds the column, nullable whatever the column says (replayed
         * rows from before the change have no value for it).
         *
         * @param missingValue when not null, the column's default in the statement, so rows already
         *     there get it; the applier drops the default right after
         * @param afterColumn a column of the target the new one goes after, or null for the end; a
         *     target that cannot place columns adds it last
         */
        String addColumn(TableId target, Column column, Object missingValue, String afterColumn)
                throws SQLException;

        /**
         * The type the column gets here after a type change, and the statement that changes it.
         *
         * @param table the target table as the engine knows it
         * @param now the column as it is at the target
         * @param column the column as the source has it now
         */
        Retype retype(TableSchema table, Column now, Column column) throws SQLException;
    }

    /**
     * A column's type at the target after a type change.
     *
     * @param type the portable type of {@code typeName} here, or null when it has none
     * @param typeName the target's name of the type, for messages
     * @param statement the statement that changes the column to it
     */
    public record Retype(DataType type, String typeName, String statement) {}

    private final Connection c;
    private final Dialect dialect;

    /** An applier that runs its statements on {@code c}. */
    public SchemaChangeApplier(Connection c, Dialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    /**
     * Applies a change to the target table {@code table} names and returns its new schema.
     *
     * @throws SiphonException {@link ErrorCode#SCHEMA_MISMATCH} for a change the target does not
     *     follow (a renamed table, a narrowing type, a dropped key column); {@link
     *     ErrorCode#TABLE_NOT_FOUND} when the target table is gone
     */
    public TableSchema apply(TableSchema table, ChangeEvent.SchemaChange change)
            throws SQLException {
        TableId target = table.id();
        return switch (change) {
            case ChangeEvent.CreateTable create -> dialect.createTable(target, create);
            case ChangeEvent.DropTable drop -> {
                LOG.warn(
                        "Table {} was dropped at the source; target table {} is kept with its rows,"
                                + " because Siphon never drops data at the target. Drop it yourself"
                                + " if it is no longer needed",
                        drop.table(),
                        target);
                yield table;
            }
            case ChangeEvent.RenameTable rename ->
                    throw new SiphonException(
                            ErrorCode.SCHEMA_MISMATCH,
                            "Table "
                                    + rename.table()
                                    + " was renamed to "
                                    + rename.newName()
                                    + " at the source. Target table "
                                    + target
                                    + " keeps its name: the target's name comes from the"
                                    + " pipeline's table rule, which the sink does not know, and"
                                    + " other users of the target may rely on it. Rename the"
                                    + " target yourself if you want ("
                                    + dialect.renameTable(target)
                                    + ") and adjust the pipeline's tables and table rule to the"
                                    + " new name before running it again; or set schema-changes:"
                                    + " ignore, which leaves the target's structure alone");
            case ChangeEvent.AddColumn add -> addColumn(table, add);
            case ChangeEvent.DropColumn drop -> dropColumn(table, drop);
            case ChangeEvent.RenameColumn rename -> renameColumn(table, rename);
            case ChangeEvent.AlterColumnType alter -> alterColumnType(table, alter);
        };
    }

    /**
     * Adds the column, after the column the source names where the target can place it. Rows
     * already at the target get the column's {@linkplain Column#missingValue() missing value}, as
     * they have at the source (a column added there with a constant default): the column is added
     * with that default, which is dropped at once, so the value stays with the existing rows only
     * and later rows come with their own values from the source.
     */
    private TableSchema addColumn(TableSchema table, ChangeEvent.AddColumn add)
            throws SQLException {
        TableId target = table.id();
        Column column = add.column();
        TableSchema current = describe(target);
        if (current.indexOf(column.name()) >= 0) {
            LOG.info(
                    "Column {} of {} is already at the target; nothing to add",
                    column.name(),
                    target);
        } else {
            String after =
                    add.afterColumn() != null && current.indexOf(add.afterColumn()) >= 0
                            ? add.afterColumn()
                            : null;
            execute(dialect.addColumn(target, column, column.missingValue(), after));
            if (column.missingValue() != null) {
                execute(
                        "ALTER TABLE "
                                + dialect.quote(target)
                                + " ALTER COLUMN "
                                + dialect.quote(column.name())
                                + " DROP DEFAULT");
            }
        }
        return TargetSchemas.after(table, add);
    }

    /** Drops the column with its values; a key column is refused, since upserts need the key. */
    private TableSchema dropColumn(TableSchema table, ChangeEvent.DropColumn drop)
            throws SQLException {
        TableId target = table.id();
        String name = drop.columnName();
        String dropColumn =
                "ALTER TABLE " + dialect.quote(target) + " DROP COLUMN " + dialect.quote(name);
        if (table.primaryKey().contains(name)) {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "Column "
                            + name
                            + " was dropped at source table "
                            + drop.table()
                            + ", but it is part of the primary key "
                            + table.primaryKey()
                            + " of target table "
                            + target
                            + ", which the sink writes by. Give the source table a new primary"
                            + " key, then drop the target table (or run "
                            + dropColumn
                            + "; and add that key) and snapshot the table again");
        }
        if (describe(target).indexOf(name) >= 0) {
            execute(dropColumn);
        }
        return TargetSchemas.after(table, drop);
    }

    private TableSchema renameColumn(TableSchema table, ChangeEvent.RenameColumn rename)
            throws SQLException {
        TableId target = table.id();
        TableSchema current = describe(target);
        boolean oldThere = current.indexOf(rename.oldName()) >= 0;
        boolean newThere = current.indexOf(rename.newName()) >= 0;
        if (newThere) {
            // Already renamed, by an earlier run of this change; when the old name is there too,
            // a later change added it again, and it stays.
            LOG.info(
                    "Column {} of {} already has the new name {}; nothing to rename",
                    rename.oldName(),
                    target,
                    rename.newName());
        } else if (oldThere) {
            execute(
                    "ALTER TABLE "
                            + dialect.quote(target)
                            + " RENAME COLUMN "
                            + dialect.quote(rename.oldName())
                            + " TO "
                            + dialect.quote(rename.newName()));
        } else {
            throw missingColumn(
                    "Column "
                            + rename.oldName()
                            + " of source table "
                            + rename.table()
                            + " was renamed to "
                            + rename.newName()
                            + ", but target table "
                            + target
                            + " has neither column",
                    target,
                    rename.newName());
        }
        return TargetSchemas.after(table, rename);
    }

    /**
     * Changes the column's type when the target's type differs and the new one holds every value of
     * the old ({@link TypeWidening#widens}); otherwise refuses with the statement to run by hand.
     */
    private TableSchema alterColumnType(TableSchema table, ChangeEvent.AlterColumnType alter)
            throws SQLException {
        TableId target = table.id();
        Column column = alter.column();
        TableSchema current = describe(target);
        int at = current.indexOf(column.name());
        if (at < 0) {
            throw missingColumn(
                    "Column "
                            + column.name()
                            + " of source table "
                            + alter.table()
                            + " changed type, but target table "
                            + target
                            + " has no such column",
                    target,
                    column.name());
        }
        Column now = current.columns().get(at);
        Retype wanted = dialect.retype(table, now, column);
        if (now.type().equals(wanted.type())) {
            LOG.info(
                    "Column {} of {} already has type {}; nothing to change",
                    column.name(),
                    target,
                    wanted.typeName());
        } else if (wanted.type() != null && TypeWidening.widens(now.type(), wanted.type())) {
            execute(wanted.statement());
        } else {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "Column "
                            + column.name()
                            + " of source table "
                            + alter.table()
                            + " changed type, but target table "
                            + target
                            + " cannot follow: from "
                            + now.nativeType()
                            + " to "
                            + wanted.typeName()
                            + " is not a widening, so values at the target might not fit and"
                            + " the sink does not risk them. If they fit, run: "
                            + wanted.statement()
                            + "; and run the pipeline again (it then finds the change applied)");
        }
        return TargetSchemas.after(table, alter);
    }

    private SiphonException missingColumn(String what, TableId target, String column) {
        return new SiphonException(
                ErrorCode.SCHEMA_MISMATCH,
                what
                        + ". Add it at the target (ALTER TABLE "
                        + dialect.quote(target)
                        + " ADD COLUMN "
                        + dialect.quote(column)
                        + " ...;) and run the pipeline again");
    }

    private TableSchema describe(TableId target) throws SQLException {
        TableSchema table = dialect.describe(target);
        if (table == null) {
            throw new SiphonException(
                    ErrorCode.TABLE_NOT_FOUND,
                    "Target table "
                            + target
                            + " does not exist any more: it was dropped or renamed at the target."
                            + " Run the pipeline again to have it created");
        }
        return table;
    }

    private void execute(String sql) throws SQLException {
        LOG.info("Schema change at the target: {}", sql);
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
