package io.siphon.transforms;

import dev.cel.common.types.CelKind;
import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Option;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.spi.transform.Transform;
import io.siphon.spi.transform.TransformFactory;
import io.siphon.spi.transform.TransformOptions;
import io.siphon.transforms.expr.CelValues;
import io.siphon.transforms.expr.RowExpression;
import io.siphon.transforms.expr.RowExpression.Op;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code filter}: keeps the rows for which a CEL condition is true. The target holds exactly the
 * source rows that pass: an update that moves a row into the condition becomes an insert, one that
 * moves it out becomes a delete.
 */
public final class FilterFactory implements TransformFactory {

    /** The condition. */
    public static final Option<String> WHERE =
            Option.string(
                            "where",
                            "CEL condition on row.column, op and table; rows for which it is"
                                    + " true are kept, false or null are left out")
                    .asRequired();

    @Override
    public String type() {
        return "filter";
    }

    @Override
    public String description() {
        return "Keeps the rows for which a condition is true; rows that move in or out of it"
                + " become inserts or deletes at the target";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, WHERE);
    }

    @Override
    public Transform create(Config config) {
        return new Filter(TableSelection.of(config), config.get(WHERE));
    }

    private record Filter(TableSelection tables, String where) implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        public BoundTransform bind(TableSchema input) {
            RowExpression condition = RowExpression.compile(WHERE.name(), where, input);
            if (CelValues.unwrap(condition.resultType()).kind() != CelKind.BOOL) {
                throw TableSelection.invalid(
                        "'where' expression \""
                                + where
                                + "\" gives "
                                + condition.resultType().name()
                                + " but must give bool (true keeps the row), for example"
                                + " \"row.status != 'test'\"");
            }
            return new BoundFilter(input, condition);
        }
    }

    private record BoundFilter(TableSchema input, RowExpression condition)
            implements BoundTransform {

        @Override
        public TableSchema inputSchema() {
            return input;
        }

        @Override
        public TableSchema outputSchema() {
            return input;
        }

        @Override
        public void row(Row row, Consumer<Row> out) {
            if (passes(row, null, Op.SNAPSHOT)) {
                out.accept(row);
            }
        }

        @Override
        public void change(DataChange change, Consumer<DataChange> out) {
            switch (change) {
                case Insert i -> {
                    if (passes(i.after(), null, Op.INSERT)) {
                        out.accept(i);
                    }
                }
                case Update u -> update(u, out);
                case Delete d -> {
                    // A key-only old row cannot be tested: deleting by key is safe either way,
                    // a no-op at the target when the row never passed.
                    if (d.beforeIsKeyOnly() || passes(d.before(), null, Op.DELETE)) {
                        out.accept(d);
                    }
                }
            }
        }

        private void update(Update u, Consumer<DataChange> out) {
            Row fullBefore = u.beforeIsKeyOnly() ? null : u.before();
            boolean afterPasses = passes(u.after(), fullBefore, Op.UPDATE);
            if (u.beforeIsKeyOnly()) {
                // Unknown whether the target has the row: an update is an upsert there, and a
                // delete by key removes it if it is there.
                out.accept(afterPasses ? u : new Delete(u.table(), u.before(), true, u.meta()));
                return;
            }
            boolean beforePasses = passes(u.before(), null, Op.UPDATE);
            if (beforePasses && afterPasses) {
                out.accept(u);
            } else if (afterPasses) {
                out.accept(new Insert(u.table(), complete(u.after(), u.before()), u.meta()));
            } else if (beforePasses) {
                out.accept(new Delete(u.table(), u.before(), false, u.meta()));
            }
        }

        private boolean passes(Row row, Row fullBefore, Op op) {
            return Boolean.TRUE.equals(condition.evaluate(row, fullBefore, op));
        }

        /**
         * The new row with its unchanged values taken from the complete old row: an insert at the
         * target has no old values to keep.
         */
        private static Row complete(Row after, Row before) {
            Object[] values = after.values().clone();
            for (int i = 0; i < values.length; i++) {
                if (values[i] == io.siphon.model.Unchanged.VALUE) {
                    values[i] = before.get(i);
                }
            }
            return new Row(values);
        }
    }
}
