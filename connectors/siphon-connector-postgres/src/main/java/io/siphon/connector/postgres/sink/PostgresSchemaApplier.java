package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.catalog.CatalogTable;
import io.siphon.connector.postgres.catalog.TableCatalog;
import io.siphon.connector.postgres.types.CopyTextEncoder;
import io.siphon.connector.support.schema.TargetSchemas;
import io.siphon.connector.support.schema.TypeWidening;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ColumnTypes;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a source's schema changes to a target table: the applier half of the metadata
 * accessor/applier pair (the accessor is {@link TableCatalog}). Runs on a writer's connection, in
 * its transaction.
 *
 * <p>Every change can be applied twice, because after a restart the engine replays changes the
 * target may already have: a column is added only when missing, dropped only when present, renamed
 * only when the old name is there and the new one is not, and its type changed only when it
 * differs. Nothing that loses user data happens by itself: a dropped source table leaves the target
 * as it is, and a type change that could truncate values is refused with the statement the user can
 * run when the values fit.
 *
 * <p>A column gets its native type when it carries one that exists here and means the same portable
 * type here as at the source (always so for a PostgreSQL source; it keeps, say, another system's
 * {@code timestamp}, an instant, from becoming PostgreSQL's wall-clock {@code timestamp}), else
 * {@link io.siphon.connector.postgres.types.PgTypeMapping}'s type: the choice {@link
 * PostgresSink#prepareTable} makes, with the same code.
 *
 * <p>The schema each change returns is computed, not read back: it is the target schema that {@link
 * PostgresSink#prepareTable} would return for the changed source table, so the engine can keep
 * matching rows to columns by name.
 */
final class PostgresSchemaApplier {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSchemaApplier.class);

    private final Connection c;
    private final ColumnTypes columnTypes;

    /**
     * @param columnTypes the sink's {@code column-types}: a table or column created here gets its
     *     override, and an overridden column keeps its type when the source's changes
     */
    PostgresSchemaApplier(Connection c, ColumnTypes columnTypes) {
        this.c = c;
        this.columnTypes = columnTypes;
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
            case ChangeEvent.CreateTable create -> createTable(target, create);
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
                                    + " target yourself if you want (ALTER TABLE "
                                    + SqlText.quote(target)
                                    + " RENAME TO ...) and adjust the pipeline's tables and"
                                    + " table rule to the new name before running it again; or"
                                    + " set schema-changes: ignore, which leaves the target's"
                                    + " structure alone");
            case ChangeEvent.AddColumn add -> addColumn(table, add);
            case ChangeEvent.DropColumn drop -> dropColumn(table, drop);
            case ChangeEvent.RenameColumn rename -> renameColumn(table, rename);
            case ChangeEvent.AlterColumnType alter -> alterColumnType(table, alter);
        };
    }

    /** Creates the table as {@link PostgresSink#prepareTable} does, or checks the one there. */
    private TableSchema createTable(TableId target, ChangeEvent.CreateTable create)
            throws SQLException {
        Set<String> natives = new HashSet<>();
        for (Column column : create.schema().columns()) {
            if (nativeTypeFits(column)) {
                natives.add(column.name());
            }
        }
        return PostgresSink.prepare(
                        c,
                        create.schema(),
                        target,
                        new TypeChoice(
                                column -> natives.contains(column.name()),
                                columnTypes.forTable(target)))
                .schema();
    }

    /**
     * Adds the column last (PostgreSQL cannot place a column) and nullable, whatever the source
     * says: replayed rows from before the change have no value for it. Rows already at the target
     * get the column's {@linkplain Column#missingValue() missing value}, as they have at the source
     * (a column added there with a constant default): the column is added with that default, which
     * PostgreSQL 11+ stores as the missing value without rewriting the table, and the default is
     * dropped at once, so the value stays with the existing rows only, as the source's fast default
     * does, and later rows come with their own values from the source.
     */
    private TableSchema addColumn(TableSchema table, ChangeEvent.AddColumn add)
            throws SQLException {
        TableId target = table.id();
        Column column = add.column();
        if (describe(target).indexOf(column.name()) >= 0) {
            LOG.info(
                    "Column {} of {} is already at the target; nothing to add",
                    column.name(),
                    target);
        } else {
            String type = PostgresSink.columnType(c, column, target, choice(target, column));
            String addColumn =
                    "ALTER TABLE "
                            + SqlText.quote(target)
                            + " ADD COLUMN IF NOT EXISTS "
                            + SqlText.quote(column.name())
                            + " "
                            + type;
            if (column.missingValue() == null) {
                execute(addColumn);
            } else {
                execute(
                        addColumn
                                + " DEFAULT "
                                + SqlText.literal(
                                        CopyTextEncoder.textForm(
                                                column.missingValue(), column.type()))
                                + "::"
                                + type);
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
                            + " key, then drop the target table (or run ALTER TABLE "
                            + SqlText.quote(target)
                            + " DROP COLUMN "
                            + SqlText.quote(name)
                            + "; and add that key) and snapshot the table again");
        }
        execute(
                "ALTER TABLE "
                        + SqlText.quote(target)
                        + " DROP COLUMN IF EXISTS "
                        + SqlText.quote(name));
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
        String type = PostgresSink.columnType(c, column, target, choice(target, column));
        DataType wanted = portableTypeOf(type);
        String alterStatement =
                "ALTER TABLE "
                        + SqlText.quote(target)
                        + " ALTER COLUMN "
                        + SqlText.quote(column.name())
                        + " TYPE "
                        + type
                        + " USING "
                        + SqlText.quote(column.name())
                        + "::"
                        + type;
        if (now.type().equals(wanted)) {
            LOG.info(
                    "Column {} of {} already has type {}; nothing to change",
                    column.name(),
                    target,
                    type);
        } else if (wanted != null && TypeWidening.widens(now.type(), wanted)) {
            execute(alterStatement);
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
                            + type
                            + " is not a widening, so values at the target might not fit and"
                            + " the sink does not risk them. If they fit, run: "
                            + alterStatement
                            + "; and run the pipeline again (it then finds the change applied)");
        }
        return TargetSchemas.after(table, alter);
    }

    /**
     * Whether the column's native type can be used here: it exists and PostgreSQL here maps it to
     * the portable type the column has. Named enum types count as fitting: the sink creates them
     * with the source's labels, as {@link PostgresSink#prepareTable} does.
     */
    private boolean nativeTypeFits(Column column) throws SQLException {
        if (column.nativeType() == null) {
            return false;
        }
        if (namedEnum(column.type())) {
            return true;
        }
        DataType here = portableTypeOf(column.nativeType());
        return column.type().equals(here);
    }

    /** The type choice for one column of a target table, its native type if it fits. */
    private TypeChoice choice(TableId target, Column column) throws SQLException {
        return TypeChoice.of(nativeTypeFits(column), columnTypes.forTable(target));
    }

    private static boolean namedEnum(DataType type) {
        if (type instanceof DataType.ArrayType a) {
            return namedEnum(a.element());
        }
        return type instanceof DataType.EnumType e && e.name() != null;
    }

    /** The portable type of a column declared with this type here, or null: {@link TypeProbe}. */
    private DataType portableTypeOf(String declaration) throws SQLException {
        return TypeProbe.portableTypeOf(c, declaration);
    }

    private TableSchema describe(TableId target) throws SQLException {
        CatalogTable table = TableCatalog.find(c, target);
        if (table == null) {
            throw new SiphonException(
                    ErrorCode.TABLE_NOT_FOUND,
                    "Target table "
                            + target
                            + " does not exist any more: it was dropped or renamed at the target."
                            + " Run the pipeline again to have it created");
        }
        return TableCatalog.describe(c, List.of(table)).get(0);
    }

    private void execute(String sql) throws SQLException {
        LOG.info("Schema change at the target: {}", sql);
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
