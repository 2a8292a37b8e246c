package io.siphon.connector.mysql.sink;

import io.siphon.connector.mysql.SqlText;
import io.siphon.connector.mysql.catalog.MySqlCatalog;
import io.siphon.connector.support.schema.SchemaChangeApplier;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Applies a source's schema changes to a target table: the applier half of the metadata
 * accessor/applier pair (the accessor is {@link MySqlCatalog}). MySQL commits around every DDL
 * statement, so each change is durable as soon as it ran. The decisions (what a replayed change
 * leaves alone, what is refused and with which statement) are {@link SchemaChangeApplier}'s; this
 * is MySQL's SQL for them. Types are chosen by {@link TargetColumns}, as when the table was
 * created.
 */
final class MySqlSchemaApplier implements SchemaChangeApplier.Dialect {

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
        return new SchemaChangeApplier(c, this).apply(table, change);
    }

    @Override
    public TableSchema describe(TableId target) throws SQLException {
        return MySqlCatalog.describe(c, target, columns.types());
    }

    @Override
    public String quote(TableId table) {
        return SqlText.quote(table);
    }

    @Override
    public String quote(String column) {
        return SqlText.quote(column);
    }

    @Override
    public String renameTable(TableId target) {
        return "RENAME TABLE " + SqlText.quote(target) + " TO ...";
    }

    @Override
    public TableSchema createTable(TableId target, ChangeEvent.CreateTable create)
            throws SQLException {
        return MySqlSink.prepare(c, columns, create.schema(), target, true).schema();
    }

    @Override
    public String addColumn(
            TableId target, Column column, Object missingValue, String afterColumn) {
        Column nullable =
                new Column(column.name(), column.type(), true, column.nativeType(), null, null);
        return "ALTER TABLE "
                + SqlText.quote(target)
                + " ADD COLUMN "
                + columns.definition(target, nullable, false, true)
                + (missingValue == null ? "" : " DEFAULT " + ValueBinder.literal(missingValue))
                + (afterColumn == null ? "" : " AFTER " + SqlText.quote(afterColumn));
    }

    /** {@code MODIFY COLUMN}, keeping the column nullable when it is at the target. */
    @Override
    public SchemaChangeApplier.Retype retype(TableSchema table, Column now, Column column) {
        boolean key = table.primaryKey().contains(column.name());
        Column wanted = columns.asCreated(table.id(), column, key, true);
        Column kept = now.nullable() ? withNullable(column) : column;
        return new SchemaChangeApplier.Retype(
                wanted.type(),
                wanted.nativeType(),
                "ALTER TABLE "
                        + SqlText.quote(table.id())
                        + " MODIFY COLUMN "
                        + columns.definition(table.id(), kept, key, true));
    }

    private static Column withNullable(Column c) {
        return new Column(c.name(), c.type(), true, c.nativeType(), c.missingValue(), null);
    }
}
