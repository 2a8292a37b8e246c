package io.siphon.connector.support.schema;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema a sink's target table has after a schema change, computed rather than read back, so
 * that the engine keeps matching rows to columns by name. Unlike {@link TableSchema#evolve} it
 * accepts a change applied before (a replay after a restart): an added column that is there already
 * takes the change's definition, a dropped one that is gone or a renamed one whose old name is gone
 * leaves the schema as it is. Pure: no database.
 */
public final class TargetSchemas {

    private TargetSchemas() {}

    /**
     * The target schema after an added, dropped, renamed or retyped column. Table changes ({@link
     * ChangeEvent.CreateTable}, {@link ChangeEvent.DropTable}, {@link ChangeEvent.RenameTable}) are
     * the sink's own business and leave the schema as it is here.
     */
    public static TableSchema after(TableSchema table, ChangeEvent.SchemaChange change) {
        List<Column> columns = new ArrayList<>(table.columns());
        List<String> key = new ArrayList<>(table.primaryKey());
        switch (change) {
            case ChangeEvent.AddColumn add -> {
                int existing = table.indexOf(add.column().name());
                if (existing >= 0) {
                    columns.set(existing, add.column());
                } else {
                    int after = add.afterColumn() == null ? -1 : table.indexOf(add.afterColumn());
                    columns.add(after < 0 ? columns.size() : after + 1, add.column());
                }
            }
            case ChangeEvent.DropColumn drop ->
                    columns.removeIf(column -> column.name().equals(drop.columnName()));
            case ChangeEvent.RenameColumn rename -> {
                if (table.indexOf(rename.oldName()) < 0) {
                    return table;
                }
                columns.replaceAll(
                        column ->
                                column.name().equals(rename.oldName())
                                        ? column.withName(rename.newName())
                                        : column);
                key.replaceAll(k -> k.equals(rename.oldName()) ? rename.newName() : k);
            }
            case ChangeEvent.AlterColumnType alter -> {
                int i = table.indexOf(alter.column().name());
                if (i >= 0) {
                    columns.set(i, alter.column());
                }
            }
            case ChangeEvent.CreateTable create -> {
                return table;
            }
            case ChangeEvent.DropTable drop -> {
                return table;
            }
            case ChangeEvent.RenameTable rename -> {
                return table;
            }
        }
        return new TableSchema(table.id(), columns, key);
    }
}
