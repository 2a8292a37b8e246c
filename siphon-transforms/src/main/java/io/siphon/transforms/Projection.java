package io.siphon.transforms;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.transforms.expr.RowExpression.Op;

/** Takes some input columns, in a new order and possibly under new names: drop, keep, rename. */
final class Projection extends RowMapping {

    private final int[] sources;
    private final boolean identity;

    /**
     * @param sources for each output column, the position of its input column
     */
    Projection(TableSchema input, TableSchema output, int[] sources) {
        super(input, output);
        this.sources = sources.clone();
        this.identity =
                sources.length == input.columns().size()
                        && java.util.stream.IntStream.range(0, sources.length)
                                .allMatch(i -> sources[i] == i);
    }

    @Override
    Row map(Row row, Op op, Row fullBefore, boolean keyOnly) {
        if (identity) {
            return row; // a rename: same values, new names
        }
        Object[] values = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            values[i] = row.get(sources[i]);
        }
        return new Row(values);
    }
}
