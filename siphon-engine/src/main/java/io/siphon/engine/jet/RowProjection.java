package io.siphon.engine.jet;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;

/**
 * Moves row values from the source's column layout to the target's, by column name. Needed when the
 * two differ, which happens when schema changes are ignored: a source column the target lacks is
 * dropped; a target column the source lacks is null in a new row and left unchanged in an updated
 * one.
 */
final class RowProjection {

    private final int[] sourceIndexOfTarget;
    private final boolean identity;

    private RowProjection(int[] sourceIndexOfTarget, boolean identity) {
        this.sourceIndexOfTarget = sourceIndexOfTarget;
        this.identity = identity;
    }

    static RowProjection between(TableSchema source, TableSchema target) {
        int[] map = new int[target.columns().size()];
        boolean identity = source.columns().size() == target.columns().size();
        for (int i = 0; i < map.length; i++) {
            map[i] = source.indexOf(target.columns().get(i).name());
            identity &= map[i] == i;
        }
        return new RowProjection(map, identity);
    }

    ChangeEvent project(ChangeEvent event) {
        if (identity) {
            return event;
        }
        return switch (event) {
            case ChangeEvent.Insert i ->
                    new ChangeEvent.Insert(i.table(), row(i.after(), null), i.meta());
            case ChangeEvent.Update u ->
                    new ChangeEvent.Update(
                            u.table(),
                            row(u.before(), null),
                            u.beforeIsKeyOnly(),
                            row(u.after(), Unchanged.VALUE),
                            u.meta());
            case ChangeEvent.Delete d ->
                    new ChangeEvent.Delete(
                            d.table(), row(d.before(), null), d.beforeIsKeyOnly(), d.meta());
            case ChangeEvent.Truncate t -> t;
            case ChangeEvent.SchemaChange s -> s;
        };
    }

    private Row row(Row source, Object missing) {
        Object[] values = new Object[sourceIndexOfTarget.length];
        for (int i = 0; i < values.length; i++) {
            int from = sourceIndexOfTarget[i];
            values[i] = from < 0 ? missing : source.get(from);
        }
        return new Row(values);
    }
}
