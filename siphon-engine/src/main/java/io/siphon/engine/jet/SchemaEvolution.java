package io.siphon.engine.jet;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/** What a schema change does to a table's schema: the pure part, without any database. */
final class SchemaEvolution {

    private SchemaEvolution() {}

    /** The schema after the change. */
    static TableSchema apply(TableSchema schema, ChangeEvent.SchemaChange change) {
        List<Column> columns = new ArrayList<>(schema.columns());
        List<String> key = new ArrayList<>(schema.primaryKey());
        switch (change) {
            case ChangeEvent.CreateTable c -> {
                return c.schema();
            }
            case ChangeEvent.DropTable d -> {
                return schema;
            }
            case ChangeEvent.RenameTable r -> {
                return schema;
            }
            case ChangeEvent.AddColumn a -> {
                int after = a.afterColumn() == null ? -1 : schema.indexOf(a.afterColumn());
                columns.add(after < 0 ? columns.size() : after + 1, a.column());
            }
            case ChangeEvent.DropColumn d -> {
                columns.removeIf(c -> c.name().equals(d.columnName()));
                key.remove(d.columnName());
            }
            case ChangeEvent.RenameColumn r -> {
                int i = schema.indexOf(r.oldName());
                Column old = columns.get(i);
                columns.set(
                        i, new Column(r.newName(), old.type(), old.nullable(), old.nativeType()));
                int k = key.indexOf(r.oldName());
                if (k >= 0) {
                    key.set(k, r.newName());
                }
            }
            case ChangeEvent.AlterColumnType t -> {
                columns.set(schema.indexOf(t.column().name()), t.column());
            }
        }
        return new TableSchema(schema.id(), columns, key);
    }
}
