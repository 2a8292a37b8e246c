package io.siphon.connector.postgres.sink;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The columns a writer writes of a target table: all but those the target generates itself ({@code
 * GENERATED ALWAYS AS ... STORED}), which PostgreSQL refuses values for and computes from the
 * others. Rows and changes are cut to those columns before they are written.
 *
 * @param source the table's schema as the rows come
 * @param written the schema of the written columns
 * @param kept the positions in {@code source} of the written columns; null when all are written
 */
record WrittenColumns(TableSchema source, TableSchema written, int[] kept) {

    /** The columns written of {@code source}, given the target's generated columns. */
    static WrittenColumns of(TableSchema source, Set<String> generatedAtTarget) {
        if (generatedAtTarget.isEmpty()) {
            return new WrittenColumns(source, source, null);
        }
        List<Column> columns = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < source.columns().size(); i++) {
            Column c = source.columns().get(i);
            if (!generatedAtTarget.contains(c.name())) {
                columns.add(c);
                kept.add(i);
            }
        }
        if (kept.size() == source.columns().size()) {
            return new WrittenColumns(source, source, null);
        }
        return new WrittenColumns(
                source,
                new TableSchema(source.id(), columns, source.primaryKey()),
                kept.stream().mapToInt(Integer::intValue).toArray());
    }

    List<Row> rows(List<Row> rows) {
        if (kept == null) {
            return rows;
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(row(r));
        }
        return out;
    }

    List<ChangeEvent> changes(List<ChangeEvent> changes) {
        if (kept == null) {
            return changes;
        }
        List<ChangeEvent> out = new ArrayList<>(changes.size());
        for (ChangeEvent change : changes) {
            out.add(
                    switch (change) {
                        case ChangeEvent.Insert i ->
                                new ChangeEvent.Insert(i.table(), row(i.after()), i.meta());
                        case ChangeEvent.Update u ->
                                new ChangeEvent.Update(
                                        u.table(),
                                        row(u.before()),
                                        u.beforeIsKeyOnly(),
                                        row(u.after()),
                                        u.meta());
                        case ChangeEvent.Delete d ->
                                new ChangeEvent.Delete(
                                        d.table(), row(d.before()), d.beforeIsKeyOnly(), d.meta());
                        case ChangeEvent.Truncate t -> t;
                        case ChangeEvent.SchemaChange s -> s;
                    });
        }
        return out;
    }

    private Row row(Row r) {
        if (r == null) {
            return null;
        }
        Object[] values = new Object[kept.length];
        for (int i = 0; i < kept.length; i++) {
            values[i] = r.get(kept[i]);
        }
        return new Row(values);
    }
}
