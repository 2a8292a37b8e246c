package io.siphon.transforms;

import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.transforms.expr.RowExpression.Op;
import java.util.function.Consumer;

/**
 * A bound operator that maps every row to exactly one row and keeps the kind of each change: all
 * operators but {@code filter}. Before rows are mapped too (the key of a delete or of an update
 * that moves a row must be the key the target has); a key-only before row stays key-only.
 */
abstract class RowMapping implements BoundTransform {

    protected final TableSchema input;
    protected final TableSchema output;

    RowMapping(TableSchema input, TableSchema output) {
        this.input = input;
        this.output = output;
    }

    /**
     * Maps one row.
     *
     * @param row the row in the input schema
     * @param op the kind of row
     * @param fullBefore the complete old row when {@code row} is an update's new row, else null
     * @param keyOnly whether {@code row} holds only the key (other values are null)
     */
    abstract Row map(Row row, Op op, Row fullBefore, boolean keyOnly);

    @Override
    public TableSchema inputSchema() {
        return input;
    }

    @Override
    public TableSchema outputSchema() {
        return output;
    }

    @Override
    public void row(Row row, Consumer<Row> out) {
        out.accept(map(row, Op.SNAPSHOT, null, false));
    }

    @Override
    public void change(DataChange change, Consumer<DataChange> out) {
        switch (change) {
            case Insert i ->
                    out.accept(
                            new Insert(
                                    output.id(), map(i.after(), Op.INSERT, null, false), i.meta()));
            case Update u -> {
                Row fullBefore = u.beforeIsKeyOnly() ? null : u.before();
                out.accept(
                        new Update(
                                output.id(),
                                map(u.before(), Op.UPDATE, null, u.beforeIsKeyOnly()),
                                u.beforeIsKeyOnly(),
                                map(u.after(), Op.UPDATE, fullBefore, false),
                                u.meta()));
            }
            case Delete d ->
                    out.accept(
                            new Delete(
                                    output.id(),
                                    map(d.before(), Op.DELETE, null, d.beforeIsKeyOnly()),
                                    d.beforeIsKeyOnly(),
                                    d.meta()));
        }
    }
}
