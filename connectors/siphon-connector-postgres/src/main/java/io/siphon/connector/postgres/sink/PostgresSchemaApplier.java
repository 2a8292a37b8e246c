package io.siphon.connector.postgres.sink;

import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.catalog.CatalogTable;
import io.siphon.connector.postgres.catalog.TableCatalog;
import io.siphon.connector.postgres.types.CopyTextEncoder;
import io.siphon.connector.support.schema.SchemaChangeApplier;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a source's schema changes to a target table: the applier half of the metadata
 * accessor/applier pair (the accessor is {@link TableCatalog}). Runs on a writer's connection, in
 * its transaction. The decisions (what a replayed change leaves alone, what is refused and with
 * which statement) are {@link SchemaChangeApplier}'s; this is PostgreSQL's SQL for them.
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
final class PostgresSchemaApplier implements SchemaChangeApplier.Dialect {

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
        return new SchemaChangeApplier(c, this).apply(table, change);
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
        return "ALTER TABLE " + SqlText.quote(target) + " RENAME TO ...";
    }

    /** Creates the table as {@link PostgresSink#prepareTable} does, or checks the one there. */
    @Override
    public TableSchema createTable(TableId target, ChangeEvent.CreateTable create)
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
     * Adds the column last (PostgreSQL cannot place a column). A default given here is stored by
     * PostgreSQL 11+ as the missing value of the rows there, without rewriting the table, as the
     * source's fast default does.
     */
    @Override
    public String addColumn(TableId target, Column column, Object missingValue, String afterColumn)
            throws SQLException {
        String type = PostgresSink.columnType(c, column, target, choice(target, column));
        String addColumn =
                "ALTER TABLE "
                        + SqlText.quote(target)
                        + " ADD COLUMN IF NOT EXISTS "
                        + SqlText.quote(column.name())
                        + " "
                        + type;
        if (missingValue == null) {
            return addColumn;
        }
        return addColumn
                + " DEFAULT "
                + SqlText.literal(CopyTextEncoder.textForm(missingValue, column.type()))
                + "::"
                + type;
    }

    @Override
    public SchemaChangeApplier.Retype retype(TableSchema table, Column now, Column column)
            throws SQLException {
        TableId target = table.id();
        String type = PostgresSink.columnType(c, column, target, choice(target, column));
        return new SchemaChangeApplier.Retype(
                portableTypeOf(type),
                type,
                "ALTER TABLE "
                        + SqlText.quote(target)
                        + " ALTER COLUMN "
                        + SqlText.quote(column.name())
                        + " TYPE "
                        + type
                        + " USING "
                        + SqlText.quote(column.name())
                        + "::"
                        + type);
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

    @Override
    public TableSchema describe(TableId target) throws SQLException {
        CatalogTable table = TableCatalog.find(c, target);
        return table == null ? null : TableCatalog.describe(c, List.of(table)).get(0);
    }
}
