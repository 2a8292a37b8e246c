package io.siphon.transforms;

import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.transforms.expr.RowExpression.Op;
import java.util.function.UnaryOperator;

/**
 * Replaces the values of some columns by a function of the value alone ({@code cast}, {@code
 * mask}): the same value always gives the same result, so a key column mapped this way still finds
 * its row. Nulls stay null (unless the function is for {@code mask: null}, which is constant) and
 * an {@link Unchanged} value stays unchanged, so the target keeps its already mapped value.
 */
final class ValueMapping extends RowMapping {

    private final String operation;
    private final UnaryOperator<Object>[] functions;

    /**
     * @param operation what the functions do, for error messages ({@code cast}, {@code mask})
     * @param functions per input column, null where the value passes unchanged
     */
    ValueMapping(
            TableSchema input,
            TableSchema output,
            String operation,
            UnaryOperator<Object>[] functions) {
        super(input, output);
        this.operation = operation;
        this.functions = functions.clone();
    }

    @Override
    Row map(Row row, Op op, Row fullBefore, boolean keyOnly) {
        Object[] values = row.values().clone();
        for (int i = 0; i < values.length; i++) {
            UnaryOperator<Object> f = functions[i];
            if (f == null || values[i] == null || values[i] == Unchanged.VALUE) {
                continue;
            }
            try {
                values[i] = f.apply(values[i]);
            } catch (RuntimeException e) {
                throw new SiphonException(
                        ErrorCode.TRANSFORM_FAILED,
                        operation
                                + " of column '"
                                + input.columns().get(i).name()
                                + "' failed on the row with "
                                + RowKeys.describe(input, row)
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return new Row(values);
    }
}
