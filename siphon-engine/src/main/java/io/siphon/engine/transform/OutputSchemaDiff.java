package io.siphon.engine.transform;

import io.siphon.model.ChangeEvent;
import io.siphon.model.ChangeEvent.SchemaChange;
import io.siphon.model.Column;
import io.siphon.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The target changes that follow from a source schema change seen through a transform chain: the
 * chain's output schema before and after the change, compared by column name. A source column
 * renamed and still passed on as it is stays a rename (not a drop and an add, which would lose the
 * column's values at the target).
 */
public final class OutputSchemaDiff {

    private OutputSchemaDiff() {}

    /**
     * The changes that turn the target of {@code before} into that of {@code after}, in the order
     * to apply them: renames, drops, type changes, then additions (each after the column that
     * precedes it in {@code after}). Empty when the chain hides the source's change.
     *
     * @param cause the source change, each derived change carrying its table and meta data
     */
    public static List<SchemaChange> changes(
            TableSchema before, TableSchema after, SchemaChange cause) {
        List<SchemaChange> out = new ArrayList<>();
        String renamedFrom = null;
        String renamedTo = null;
        if (cause instanceof ChangeEvent.RenameColumn r
                && before.indexOf(r.oldName()) >= 0
                && after.indexOf(r.oldName()) < 0
                && after.indexOf(r.newName()) >= 0
                && before.indexOf(r.newName()) < 0) {
            renamedFrom = r.oldName();
            renamedTo = r.newName();
            out.add(
                    new ChangeEvent.RenameColumn(
                            cause.table(), renamedFrom, renamedTo, cause.meta()));
        }
        for (Column c : before.columns()) {
            if (!c.name().equals(renamedFrom) && after.indexOf(c.name()) < 0) {
                out.add(new ChangeEvent.DropColumn(cause.table(), c.name(), cause.meta()));
            }
        }
        for (Column c : after.columns()) {
            String was = c.name().equals(renamedTo) ? renamedFrom : c.name();
            int i = before.indexOf(was);
            if (i >= 0) {
                Column old = before.columns().get(i);
                if (!old.type().equals(c.type()) || old.nullable() != c.nullable()) {
                    out.add(new ChangeEvent.AlterColumnType(cause.table(), c, cause.meta()));
                }
            }
        }
        List<Column> columns = after.columns();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (!c.name().equals(renamedTo) && before.indexOf(c.name()) < 0) {
                String previous = i == 0 ? null : columns.get(i - 1).name();
                out.add(new ChangeEvent.AddColumn(cause.table(), c, previous, cause.meta()));
            }
        }
        return out;
    }
}
