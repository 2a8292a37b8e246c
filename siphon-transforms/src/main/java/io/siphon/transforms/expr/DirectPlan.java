package io.siphon.transforms.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.values.NullValue;
import io.siphon.model.Row;
import io.siphon.spi.SiphonException;
import io.siphon.transforms.expr.RowExpression.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The expressions most pipelines write (comparisons, arithmetic, logic and conversions over columns
 * and constants, such as {@code row.quantity >= 0} or {@code int(math.round(row.price * 100.0))}),
 * evaluated straight from the checked syntax tree, without CEL's interpreter: it resolved every
 * variable by name and wrapped every value on each row, which cost the snapshot a fifth of its
 * rate.
 *
 * <p>A plan exists only when every node of the tree is one it knows, each call by the one overload
 * the type checker chose. It computes what CEL computes for the values it decides; whatever CEL
 * would decide otherwise (a null operand, an integer overflow, a conversion out of range, a value
 * of another type) makes it throw {@link #UNDECIDED}, and the caller evaluates the expression with
 * CEL, which gives its usual result or error. So a plan never changes a result, only its cost.
 */
final class DirectPlan {

    /** What a plan throws for a value only CEL decides; carries no stack, shared. */
    static final RuntimeException UNDECIDED = new Undecided();

    /** Reads a column's CEL value from a row (the caller's rules for unchanged values apply). */
    interface ColumnReader {
        Object read(Row row, Row fullBefore, int column);
    }

    /** One node of a plan. */
    private interface Node {
        Object eval(Row row, Row fullBefore, Op op);
    }

    private static final Map<String, BinaryOperator<Object>> BINARY =
            Map.ofEntries(
                    Map.entry("less_int64", (a, b) -> integer(a) < integer(b)),
                    Map.entry("less_equals_int64", (a, b) -> integer(a) <= integer(b)),
                    Map.entry("greater_int64", (a, b) -> integer(a) > integer(b)),
                    Map.entry("greater_equals_int64", (a, b) -> integer(a) >= integer(b)),
                    Map.entry("less_double", (a, b) -> real(a) < real(b)),
                    Map.entry("less_equals_double", (a, b) -> real(a) <= real(b)),
                    Map.entry("greater_double", (a, b) -> real(a) > real(b)),
                    Map.entry("greater_equals_double", (a, b) -> real(a) >= real(b)),
                    Map.entry("equals", DirectPlan::equal),
                    Map.entry("not_equals", (a, b) -> !(Boolean) equal(a, b)),
                    Map.entry("add_int64", (a, b) -> Math.addExact(integer(a), integer(b))),
                    Map.entry(
                            "subtract_int64", (a, b) -> Math.subtractExact(integer(a), integer(b))),
                    Map.entry(
                            "multiply_int64", (a, b) -> Math.multiplyExact(integer(a), integer(b))),
                    Map.entry("add_double", (a, b) -> real(a) + real(b)),
                    Map.entry("subtract_double", (a, b) -> real(a) - real(b)),
                    Map.entry("multiply_double", (a, b) -> real(a) * real(b)),
                    Map.entry("divide_double", (a, b) -> real(a) / real(b)),
                    Map.entry("add_string", (a, b) -> text(a).concat(text(b))));

    private static final Map<String, UnaryOperator<Object>> UNARY =
            Map.ofEntries(
                    Map.entry("int64_to_int64", a -> integer(a)),
                    Map.entry("double_to_double", a -> real(a)),
                    Map.entry("string_to_string", a -> text(a)),
                    Map.entry("int64_to_double", a -> (double) integer(a)),
                    Map.entry("double_to_int64", a -> truncated(real(a))),
                    Map.entry("math_round_double", a -> roundedHalfUp(real(a))),
                    Map.entry("logical_not", a -> !truth(a)));

    /** The largest magnitude below which a double converts to int64 here as in CEL. */
    private static final double INT_RANGE = 9.0e18;

    private final Node root;

    private DirectPlan(Node root) {
        this.root = root;
    }

    /**
     * The plan of a checked expression, or null when a node of it is not one a plan knows.
     *
     * @param columns the variable name ({@code row.x}) of each column, by index
     * @param table the value of {@code table}
     */
    static DirectPlan of(
            CelAbstractSyntaxTree ast,
            Map<String, Integer> columns,
            ColumnReader reader,
            String table) {
        Node root = node(ast, ast.getExpr(), columns, reader, table);
        return root == null ? null : new DirectPlan(root);
    }

    /**
     * Evaluates the plan on a row.
     *
     * @throws RuntimeException {@link #UNDECIDED} when CEL must decide
     */
    Object eval(Row row, Row fullBefore, Op op) {
        try {
            return root.eval(row, fullBefore, op);
        } catch (ArithmeticException | SiphonException | ClassCastException e) {
            // An overflow, or a column CEL's resolver would report in its own words.
            throw UNDECIDED;
        }
    }

    private static Node node(
            CelAbstractSyntaxTree ast,
            CelExpr expr,
            Map<String, Integer> columns,
            ColumnReader reader,
            String table) {
        return switch (expr.getKind()) {
            case CONSTANT -> constant(expr.constant());
            case IDENT, SELECT ->
                    variable(ast.getReference(expr.id()).orElse(null), columns, reader, table);
            case CALL -> call(ast, expr, columns, reader, table);
            default -> null;
        };
    }

    private static Node constant(CelConstant constant) {
        Object value =
                switch (constant.getKind()) {
                    case INT64_VALUE -> constant.int64Value();
                    case DOUBLE_VALUE -> constant.doubleValue();
                    case STRING_VALUE -> constant.stringValue();
                    case BOOLEAN_VALUE -> constant.booleanValue();
                    case NULL_VALUE -> NullValue.NULL_VALUE;
                    default -> null;
                };
        return value == null ? null : (row, fullBefore, op) -> value;
    }

    private static Node variable(
            CelReference reference,
            Map<String, Integer> columns,
            ColumnReader reader,
            String table) {
        if (reference == null || !reference.overloadIds().isEmpty()) {
            return null;
        }
        Integer column = columns.get(reference.name());
        if (column != null) {
            int i = column;
            return (row, fullBefore, op) -> reader.read(row, fullBefore, i);
        }
        return switch (reference.name()) {
            case "op" -> (row, fullBefore, op) -> op.text;
            case "table" -> (row, fullBefore, op) -> table;
            default -> null;
        };
    }

    private static Node call(
            CelAbstractSyntaxTree ast,
            CelExpr expr,
            Map<String, Integer> columns,
            ColumnReader reader,
            String table) {
        CelReference reference = ast.getReference(expr.id()).orElse(null);
        if (reference == null
                || reference.overloadIds().size() != 1
                || expr.call().target().isPresent()) {
            return null;
        }
        List<Node> args = new ArrayList<>();
        for (CelExpr arg : expr.call().args()) {
            Node n = node(ast, arg, columns, reader, table);
            if (n == null) {
                return null;
            }
            args.add(n);
        }
        String overload = reference.overloadIds().get(0);
        return switch (args.size()) {
            case 1 -> unary(overload, args.get(0));
            case 2 -> binary(overload, args.get(0), args.get(1));
            case 3 -> overload.equals("conditional") ? conditional(args) : null;
            default -> null;
        };
    }

    private static Node unary(String overload, Node a) {
        UnaryOperator<Object> f = UNARY.get(overload);
        return f == null ? null : (row, fullBefore, op) -> f.apply(a.eval(row, fullBefore, op));
    }

    private static Node binary(String overload, Node a, Node b) {
        // CEL's && and || give false (true) when either side does, even if the other fails: here
        // the left side decides alone, and a failure anywhere leaves the whole to CEL.
        if (overload.equals("logical_and")) {
            return (row, fullBefore, op) ->
                    truth(a.eval(row, fullBefore, op)) && truth(b.eval(row, fullBefore, op));
        }
        if (overload.equals("logical_or")) {
            return (row, fullBefore, op) ->
                    truth(a.eval(row, fullBefore, op)) || truth(b.eval(row, fullBefore, op));
        }
        BinaryOperator<Object> f = BINARY.get(overload);
        return f == null
                ? null
                : (row, fullBefore, op) ->
                        f.apply(a.eval(row, fullBefore, op), b.eval(row, fullBefore, op));
    }

    private static Node conditional(List<Node> args) {
        Node condition = args.get(0);
        Node then = args.get(1);
        Node otherwise = args.get(2);
        return (row, fullBefore, op) ->
                truth(condition.eval(row, fullBefore, op))
                        ? then.eval(row, fullBefore, op)
                        : otherwise.eval(row, fullBefore, op);
    }

    private static long integer(Object v) {
        return as(v, Long.class);
    }

    private static double real(Object v) {
        return as(v, Double.class);
    }

    private static String text(Object v) {
        return as(v, String.class);
    }

    private static boolean truth(Object v) {
        return as(v, Boolean.class);
    }

    /**
     * The value as the type an overload takes; any other (a null, a list...) is CEL's to decide.
     */
    private static <T> T as(Object v, Class<T> type) {
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw UNDECIDED;
    }

    /**
     * CEL's equality for the values decided here: null only equals null, doubles by value (CEL
     * decides NaN, which it finds equal to itself, and signed zeros).
     */
    private static Object equal(Object a, Object b) {
        if (a instanceof NullValue || b instanceof NullValue) {
            return a instanceof NullValue && b instanceof NullValue;
        }
        if (a instanceof Double x && b instanceof Double y) {
            double u = x;
            double v = y;
            if (Double.isNaN(u) || Double.isNaN(v) || u == 0.0 || v == 0.0) {
                throw UNDECIDED;
            }
            return u == v;
        }
        if (a.getClass() == b.getClass()
                && (a instanceof Long || a instanceof String || a instanceof Boolean)) {
            return a.equals(b);
        }
        throw UNDECIDED;
    }

    /** {@code int(double)}: toward zero, well inside int64's range (CEL decides the edges). */
    private static long truncated(double d) {
        if (!(d > -INT_RANGE && d < INT_RANGE)) {
            throw UNDECIDED;
        }
        return (long) d;
    }

    /** {@code math.round}: half away from zero, as CEL's (which goes through a long). */
    private static double roundedHalfUp(double d) {
        if (!(d > -INT_RANGE && d < INT_RANGE)) {
            throw UNDECIDED;
        }
        double magnitude = Math.abs(d);
        double floor = Math.floor(magnitude);
        long rounded = (long) floor + (magnitude - floor >= 0.5 ? 1 : 0);
        return (double) (d < 0 ? -rounded : rounded);
    }

    private static final class Undecided extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Undecided() {
            super("decided by CEL", null, false, false);
        }
    }
}
