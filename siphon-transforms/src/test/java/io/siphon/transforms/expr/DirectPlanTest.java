package io.siphon.transforms.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.SiphonException;
import io.siphon.transforms.expr.RowExpression.Op;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expressions evaluated without CEL's interpreter give exactly CEL's result, or CEL's own error, on
 * every row: ordinary values, nulls, the edges of int64 and of the conversions, NaN, infinities,
 * halves and negative zero.
 */
class DirectPlanTest {

    private static final TableSchema SCHEMA =
            new TableSchema(
                    TableId.of("public", "t"),
                    List.of(
                            new Column("id", new DataType.Int64(), false, null),
                            Column.of("n", new DataType.Int64()),
                            Column.of("q", new DataType.Int32()),
                            Column.of("price", new DataType.DecimalType(12, 2)),
                            Column.of("x", new DataType.Float64()),
                            Column.of("name", DataType.StringType.unbounded()),
                            Column.of("on", new DataType.BooleanType())),
                    List.of("id"));

    private static final Object[] LONGS = {
        null, 0L, 1L, -1L, 7L, Long.MAX_VALUE, Long.MIN_VALUE, 3_037_000_500L, -3_037_000_500L
    };
    private static final Object[] INTS = {null, 0, 5, -5, Integer.MAX_VALUE};
    private static final Object[] DECIMALS = {
        null,
        new BigDecimal("0.00"),
        new BigDecimal("2.50"),
        new BigDecimal("-2.50"),
        new BigDecimal("0.005"),
        new BigDecimal("9999999999.99")
    };
    private static final Object[] DOUBLES = {
        null,
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.5,
        -2.5,
        0.49999999999999994,
        -0.49999999999999994,
        4.5e15 + 0.5,
        8.99e18,
        9.2e18,
        -9.3e18,
        1e300,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY
    };
    private static final Object[] NAMES = {null, "", "a", "Ann", "ä€😀"};
    private static final Object[] BOOLS = {null, true, false};

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "row.q >= 0",
                "row.n < 3 || row.n > 5",
                "row.n <= 3 && row.q != 5",
                "row.n == row.n",
                "row.n != null && row.n > 1",
                "row.x == row.x",
                "row.x < 1.0 || row.x >= 2.0",
                "row.x <= 0.0 && row.x > -1.0",
                "row.x == null",
                "row.name == 'Ann'",
                "row.name != null ? row.name + '!' : 'none'",
                "!row.on",
                "row.on ? 1 : 2",
                "row.n + 1",
                "row.n - row.q",
                "row.n * 3037000500",
                "int(math.round(row.price * 100.0))",
                "math.round(row.x)",
                "int(row.x)",
                "double(row.n) / 3.0 - 1.0",
                "row.x + 0.5 * row.x",
                "int(row.n)",
                "double(row.x)",
                "string(row.name)",
                "op == 'insert' ? table : 'other'",
                "row.price > 2.0 && row.q < 10",
            })
    void givesWhatCelGivesOnEveryRow(String expression) {
        RowExpression e = RowExpression.compile("where", expression, SCHEMA);
        assertThat(e.direct()).as("evaluated without the interpreter").isTrue();
        for (Row row : rows()) {
            for (Op op : List.of(Op.INSERT, Op.SNAPSHOT)) {
                assertThat(outcome(() -> e.evaluate(row, null, op)))
                        .as("%s on %s", expression, row)
                        .isEqualTo(outcome(() -> e.evaluateWithCel(row, null, op)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"row.name.startsWith('A')", "size(row.name) > 1", "row.n / 2 > 1"})
    void leavesWhatItDoesNotKnowToCel(String expression) {
        assertThat(RowExpression.compile("where", expression, SCHEMA).direct()).isFalse();
    }

    /** The result, or the error's message: what a pipeline would see. */
    private static Object outcome(java.util.function.Supplier<Object> evaluation) {
        try {
            Object result = evaluation.get();
            // Doubles compare by bits, so that -0.0 and 0.0 (and NaN) are told apart.
            return result instanceof Double d ? "double " + Double.doubleToRawLongBits(d) : result;
        } catch (SiphonException e) {
            return "error " + e.getMessage();
        }
    }

    /** Every value of each column against the others' first non-null value, and all nulls. */
    private static List<Row> rows() {
        Object[][] columns = {LONGS, INTS, DECIMALS, DOUBLES, NAMES, BOOLS};
        List<Row> rows = new ArrayList<>();
        long id = 0;
        for (int c = 0; c < columns.length; c++) {
            for (Object value : columns[c]) {
                Object[] values = new Object[columns.length + 1];
                values[0] = id++;
                for (int k = 0; k < columns.length; k++) {
                    values[k + 1] =
                            k == c ? value : columns[k][1 + (int) (id % (columns[k].length - 1))];
                }
                rows.add(new Row(values));
            }
        }
        rows.add(new Row(new Object[] {id, null, null, null, null, null, null}));
        return rows;
    }
}
