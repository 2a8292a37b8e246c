package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.mysql.catalog.MySqlCatalog;
import io.siphon.connector.support.schema.TargetSchemas;
import io.siphon.connector.support.schema.TypeWidening;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
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
 * Applies a source's schema changes to a target table: the applier half of the metadata
 * accessor/applier pair (the accessor is {@link MySqlCatalog}). MySQL commits around every DDL
 * statement, so each change is durable as soon as it ran.
 *
 * <p>Every change can be applied twice, because after a restart the engine replays changes the
 * target may already have: a column is added only when missing, dropped only when present, renamed
 * only when the old name is there and the new one is not, and its type changed only when it
 * differs. Nothing that loses user data happens by itself: a dropped source table leaves the target
 * as it is, and a type change that could cut values is refused with the statement the user can run
 * when the values fit. Types are chosen by {@link TargetColumns}, as when the table was created.
 */
final class MySqlSchemaApplier {

    private static final Logger LOG = LoggerFactory.getLogger(MySqlSchemaApplier.class);

    private final Connection c;
    private final TargetColumns columns;

    MySqlSchemaApplier(Connection c, TargetColumns columns) {
        this.c = c;
        this.columns = columns;
    }

    /**
     * Applies a change to the target table {@code table} names and returns its new schema.
     *
     * @throws SiphonException {@link ErrorCode#SCHEMA_MISMATCH} for a change the target does not
     *     follow (a renamed table, a narrowing type, a dropped key column)
     */
    TableSchema apply(TableSchema table, ChangeEvent.SchemaChange change) throws SQLException {
        TableId target = table.id();
        return switch (change) {
            case ChangeEvent.CreateTable create ->
                    MySqlSink.prepare(c, columns, create.schema(), target, true).schema();
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
                                    + " pipeline's table rule, which the sink does not know. Rename"
                                    + " the target yourself if you want (RENAME TABLE "
                                    + SqlText.quote(target)
                                    + " TO ...) and adjust the pipeline's tables and table rule"
                                    + " before running it again; or set schema-changes: ignore");
            case ChangeEvent.AddColumn add -> addColumn(table, add);
            case ChangeEvent.DropColumn drop -> dropColumn(table, drop);
            case ChangeEvent.RenameColumn rename -> renameColumn(table, rename);
            case ChangeEvent.AlterColumnType alter -> alterColumnType(table, alter);
        };
    }

    /**
     * Adds the column nullable, whatever the source says (replayed rows from before the change have
     * no value for it), after the column the source names. Rows already at the target get the
     * column's {@linkplain Column#missingValue() missing value}, as they have at the source: it is
     * added with that default, which is dropped at once.
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
            Column nullable =
                    new Column(column.name(), column.type(), true, column.nativeType(), null, null);
            String place =
                    add.afterColumn() != null && current.indexOf(add.afterColumn()) >= 0
                            ? " AFTER " + SqlText.quote(add.afterColumn())
                            : "";
            String addColumn =
                    "ALTER TABLE "
                            + SqlText.quote(target)
                            + " ADD COLUMN "
                            + columns.definition(nullable, false, true);
            if (column.missingValue() == null) {
                execute(addColumn + place);
            } else {
                execute(
                        addColumn
                                + " DEFAULT "
                                + ValueBinder.literal(column.missingValue())
                                + place);
                execute(
                        "ALTER TABLE "
                                + SqlText.quote(target)
                                + " ALTER COLUMN "
                                + SqlText.quote(column.name())
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
                            + " key, then drop the target table and snapshot the table again");
        }
        if (describe(target).indexOf(name) >= 0) {
            execute("ALTER TABLE " + SqlText.quote(target) + " DROP COLUMN " + SqlText.quote(name));
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
            LOG.info(
                    "Column {} of {} already has the new name {}; nothing to rename",
                    rename.oldName(),
                    target,
                    rename.newName());
        } else if (oldThere) {
            execute(
                    "ALTER TABLE "
                            + SqlText.quote(target)
                            + " RENAME COLUMN "
                            + SqlText.quote(rename.oldName())
                            + " TO "
                            + SqlText.quote(rename.newName()));
        } else {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "Column "
                            + rename.oldName()
                            + " of source table "
                            + rename.table()
                            + " was renamed to "
                            + rename.newName()
                            + ", but target table "
                            + target
                            + " has neither column. Add it at the target (ALTER TABLE "
                            + SqlText.quote(target)
                            + " ADD COLUMN "
                            + SqlText.quote(rename.newName())
                            + " ...;) and run the pipeline again");
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
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "Column "
                            + column.name()
                            + " of source table "
                            + alter.table()
                            + " changed type, but target table "
                            + target
                            + " has no such column. Add it at the target (ALTER TABLE "
                            + SqlText.quote(target)
                            + " ADD COLUMN "
                            + SqlText.quote(column.name())
                            + " ...;) and run the pipeline again");
        }
        Column now = current.columns().get(at);
        boolean key = table.primaryKey().contains(column.name());
        Column wanted = columns.asCreated(column, key, true);
        Column kept = now.nullable() ? withNullable(column) : column;
        String modify =
                "ALTER TABLE "
                        + SqlText.quote(target)
                        + " MODIFY COLUMN "
                        + columns.definition(kept, key, true);
        if (now.type().equals(wanted.type())) {
            LOG.info(
                    "Column {} of {} already has type {}; nothing to change",
                    column.name(),
                    target,
                    wanted.nativeType());
        } else if (TypeWidening.widens(now.type(), wanted.type())) {
            execute(modify);
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
                            + wanted.nativeType()
                            + " is not a widening, so values at the target might not fit and"
                            + " the sink does not risk them. If they fit, run: "
                            + modify
                            + "; and run the pipeline again (it then finds the change applied)");
        }
        return TargetSchemas.after(table, alter);
    }

    private static Column withNullable(Column c) {
        return new Column(c.name(), c.type(), true, c.nativeType(), c.missingValue(), null);
    }

    private TableSchema describe(TableId target) throws SQLException {
        TableSchema table = MySqlCatalog.describe(c, target, columns.types());
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
