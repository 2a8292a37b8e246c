package io.siphon.transforms;

import io.siphon.model.Column;
import io.siphon.model.DataType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code compute}: sets columns to CEL expressions. An existing column keeps its type when the
 * expression's type fits it (a decimal set from a double is rounded to its scale), otherwise it
 * takes the expression's type; a new column is added last with the expression's type. Key columns
 * cannot be set: the target finds rows by them.
 */
public final class ComputeFactory implements TransformFactory {

    /** Column name to expression. */
    public static final Option<Map<String, String>> SET =
            Option.stringMap(
                            "set",
                            "Columns to set or add, each to a CEL expression on row.column, op"
                                    + " and table; new columns are added last, in this order")
                    .asRequired();

    @Override
    public String type() {
        return "compute";
    }

    @Override
    public String description() {
        return "Sets or adds columns from CEL expressions; the type of a new column is the"
                + " expression's";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, SET);
    }

    @Override
    public Transform create(Config config) {
        Map<String, String> set = config.get(SET);
        if (set.isEmpty()) {
            throw TableSelection.invalid(
                    "'set' is empty: name at least one column and its expression, for example"
                            + " set: { total_cents: \"int(row.total * 100.0)\" }");
        }
        return new Compute(TableSelection.of(config), set);
    }

    private record Compute(TableSelection tables, Map<String, String> set) implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        public BoundTransform bind(TableSchema input) {
            List<Column> columns = new ArrayList<>(input.columns());
            int n = set.size();
            int[] targets = new int[n];
            RowExpression[] expressions = new RowExpression[n];
            DataType[] types = new DataType[n];
            int k = 0;
            for (Map.Entry<String, String> e : set.entrySet()) {
                String name = e.getKey();
                if (input.primaryKey().contains(name)) {
                    throw TableSelection.invalid(
                            "'set' cannot set key column '"
                                    + name
                                    + "' of "
                                    + input.id()
                                    + ": the target finds rows by their key; add a new column"
                                    + " instead");
                }
                RowExpression expression =
                        RowExpression.compile(SET.name() + "." + name, e.getValue(), input);
                int existing = input.indexOf(name);
                DataType type;
                if (existing >= 0
                        && CelValues.fits(expression.resultType(), input.column(name).type())) {
                    type = input.column(name).type();
                } else {
                    type =
                            CelValues.dataType(expression.resultType())
                                    .orElseThrow(
                                            () ->
                                                    TableSelection.invalid(
                                                            "'set."
                                                                    + name
                                                                    + "' expression \""
                                                                    + e.getValue()
                                                                    + "\" gives "
                                                                    + expression.resultType().name()
                                                                    + ", which a column cannot"
                                                                    + " hold; convert it, for"
                                                                    + " example with string(...)"
                                                                    + " or int(...)"));
                }
                Column column = new Column(name, type, true, null);
                if (existing >= 0) {
                    columns.set(existing, column);
                    targets[k] = existing;
                } else {
                    targets[k] = columns.size();
                    columns.add(column);
                }
                expressions[k] = expression;
                types[k] = type;
                k++;
            }
            TableSchema output = new TableSchema(input.id(), columns, input.primaryKey());
            return new BoundCompute(input, output, targets, expressions, types);
        }
    }

    private static final class BoundCompute extends RowMapping {

        private final int[] targets;
        private final RowExpression[] expressions;
        private final DataType[] types;

        BoundCompute(
                TableSchema input,
                TableSchema output,
                int[] targets,
                RowExpression[] expressions,
                DataType[] types) {
            super(input, output);
            this.targets = targets;
            this.expressions = expressions;
            this.types = types;
        }

        @Override
        Row map(Row row, Op op, Row fullBefore, boolean keyOnly) {
            Object[] values = new Object[output.columns().size()];
            System.arraycopy(row.values(), 0, values, 0, row.size());
            // Every expression sees the input row, not the values set before it.
            for (int i = 0; i < targets.length; i++) {
                // A key-only old row has no values to compute from; its non-key columns are null.
                values[targets[i]] = keyOnly ? null : evaluate(i, row, fullBefore, op);
            }
            return new Row(values);
        }

        private Object evaluate(int i, Row row, Row fullBefore, Op op) {
            Object result = expressions[i].evaluate(row, fullBefore, op);
            try {
                return CelValues.fromCel(result, types[i]);
            } catch (RuntimeException e) {
                throw expressions[i].failed(
                        row,
                        "its result does not fit column type "
                                + TypeNames.name(types[i])
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }
}
