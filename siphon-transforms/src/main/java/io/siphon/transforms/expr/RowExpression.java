package io.siphon.transforms.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.siphon.model.Column;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.SiphonException;
import io.siphon.transforms.RowKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CEL expression compiled for one table's schema. Variables: {@code row.<column>} for every
 * column whose name is a CEL identifier (typed by {@link CelValues#celType}), {@code op} ({@code
 * snapshot}, {@code insert}, {@code update} or {@code delete}) and {@code table} ({@code
 * schema.table}). Compiled once per table by the binding thread; evaluated by that thread.
 */
public final class RowExpression {

    /** The kind of row being evaluated, seen by the expression as {@code op}. */
    public enum Op {
        /** A row of the initial copy. */
        SNAPSHOT,
        /** A new row. */
        INSERT,
        /** The new or old version of a changed row. */
        UPDATE,
        /** A removed row. */
        DELETE;

        final String text = name().toLowerCase(java.util.Locale.ROOT);
    }

    private static final String ROW = "row.";
    private static final Pattern IDENTIFIER = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9]*");
    private static final Pattern UNKNOWN_COLUMN = Pattern.compile("row\\.([_a-zA-Z0-9]+)");

    // Immutable and thread-safe once built: shared by every expression of the JVM.
    private static final CelOptions OPTIONS = CelOptions.current().build();
    private static final CelCompiler BASE_COMPILER =
            CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addLibraries(
                            CelExtensions.strings(),
                            CelExtensions.math(OPTIONS),
                            CelExtensions.encoders())
                    .addFunctionDeclarations(ExpressionFunctions.declarations())
                    .addVar("op", SimpleType.STRING)
                    .addVar("table", SimpleType.STRING)
                    .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder()
                    .setOptions(OPTIONS)
                    .addLibraries(
                            CelExtensions.strings(),
                            CelExtensions.math(OPTIONS),
                            CelExtensions.encoders())
                    .addFunctionBindings(ExpressionFunctions.bindings())
                    .build();

    private final String option;
    private final String text;
    private final TableSchema schema;
    private final CelType resultType;
    private final CelRuntime.Program program;
    private final Map<String, Integer> columnIndex;
    private final int[] referenced;
    private final String tableText;

    /** The expression evaluated without CEL's interpreter, when it is simple enough; or null. */
    private final DirectPlan direct;

    private RowExpression(
            String option,
            String text,
            TableSchema schema,
            CelAbstractSyntaxTree ast,
            CelRuntime.Program program,
            Map<String, Integer> columnIndex) {
        this.option = option;
        this.text = text;
        this.schema = schema;
        this.resultType = ast.getResultType();
        this.program = program;
        this.columnIndex = columnIndex;
        this.referenced = referencedColumns(text, columnIndex);
        this.tableText = schema.id().schema() + "." + schema.id().table();
        this.direct = DirectPlan.of(ast, columnIndex, this::value, tableText);
    }

    /**
     * Compiles an expression against a table's schema.
     *
     * @param option the option the expression came from, for messages ({@code where}, {@code
     *     set.total})
     * @throws SiphonException {@link ErrorCode#TRANSFORM_INVALID} with the expression, the line and
     *     column of each problem, and the columns that exist with their CEL types
     */
    public static RowExpression compile(String option, String text, TableSchema schema) {
        CelCompilerBuilder builder = BASE_COMPILER.toCompilerBuilder();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            Column c = schema.columns().get(i);
            if (IDENTIFIER.matcher(c.name()).matches()) {
                builder.addVar(ROW + c.name(), CelValues.celType(c.type(), c.nullable()));
                index.put(ROW + c.name(), i);
            }
        }
        try {
            CelAbstractSyntaxTree ast = builder.build().compile(text).getAst();
            return new RowExpression(option, text, schema, ast, RUNTIME.createProgram(ast), index);
        } catch (CelValidationException e) {
            throw new SiphonException(
                    ErrorCode.TRANSFORM_INVALID,
                    "'"
                            + option
                            + "' expression \""
                            + text
                            + "\" does not compile: "
                            + issues(e, text, schema)
                            + ". Columns of "
                            + schema.id()
                            + ": "
                            + columnList(schema));
        } catch (CelEvaluationException e) {
            throw new SiphonException(
                    ErrorCode.TRANSFORM_INVALID,
                    "'" + option + "' expression \"" + text + "\" cannot run: " + e.getMessage(),
                    e);
        }
    }

    private static int[] referencedColumns(String text, Map<String, Integer> columnIndex) {
        Matcher m = UNKNOWN_COLUMN.matcher(text);
        java.util.TreeSet<Integer> found = new java.util.TreeSet<>();
        while (m.find()) {
            Integer i = columnIndex.get(ROW + m.group(1));
            if (i != null) {
                found.add(i);
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String issues(CelValidationException e, String text, TableSchema schema) {
        StringJoiner out = new StringJoiner("; ");
        for (CelIssue issue : e.getErrors()) {
            int line = issue.getSourceLocation().getLine();
            int column = issue.getSourceLocation().getColumn();
            String message = issue.getMessage();
            // A missing column shows as an undeclared 'row': name the column instead.
            if (message.startsWith("undeclared reference to 'row'")) {
                Matcher m = UNKNOWN_COLUMN.matcher(text);
                int at = offset(text, line, column);
                message =
                        m.find(Math.max(at, 0))
                                ? "unknown column '"
                                        + m.group(1)
                                        + "'"
                                        + NameSuggester.nearest(m.group(1), schema.columnNames())
                                                .map(n -> " (did you mean '" + n + "'?)")
                                                .orElse("")
                                : "unknown column";
            }
            out.add("at line " + line + ", column " + (column + 1) + ": " + message);
        }
        return out.toString();
    }

    private static int offset(String text, int line, int column) {
        int at = 0;
        for (int l = 1; l < line; l++) {
            at = text.indexOf('\n', at) + 1;
        }
        return at + column;
    }

    private static String columnList(TableSchema schema) {
        StringJoiner out = new StringJoiner(", ");
        for (Column c : schema.columns()) {
            out.add(c.name() + " (" + CelValues.celType(c.type(), c.nullable()).name() + ")");
        }
        return out.toString();
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    /** The CEL type of the result, possibly nullable. */
    public CelType resultType() {
        return resultType;
    }

    /**
     * Evaluates the expression on a row.
     *
     * @param row the row, in the schema the expression was compiled for
     * @param fullBefore the complete old row of an update, where an {@link Unchanged} value of
     *     {@code row} is taken from; null when there is none
     * @param op the kind of row
     * @return the CEL value; {@code null} for CEL null
     * @throws SiphonException {@link ErrorCode#TRANSFORM_FAILED} with the expression, the row's key
     *     and the reason
     */
    public Object evaluate(Row row, Row fullBefore, Op op) {
        if (direct != null) {
            try {
                Object result = direct.eval(row, fullBefore, op);
                return result instanceof NullValue ? null : result;
            } catch (RuntimeException undecided) {
                if (undecided != DirectPlan.UNDECIDED) {
                    throw undecided;
                }
                // CEL decides: it gives the same result, or its error for this row.
            }
        }
        return evaluateWithCel(row, fullBefore, op);
    }

    /** Whether the expression is evaluated without CEL's interpreter when it can be. */
    boolean direct() {
        return direct != null;
    }

    /** {@link #evaluate} by CEL's interpreter alone. */
    Object evaluateWithCel(Row row, Row fullBefore, Op op) {
        try {
            Object result =
                    program.eval(
                            name -> {
                                Integer i = columnIndex.get(name);
                                if (i != null) {
                                    return Optional.of(value(row, fullBefore, i));
                                }
                                return switch (name) {
                                    case "op" -> Optional.of(op.text);
                                    case "table" -> Optional.of(tableText);
                                    default -> Optional.empty();
                                };
                            });
            return result instanceof NullValue ? null : result;
        } catch (CelEvaluationException e) {
            throw failed(row, reason(row, e), e);
        }
    }

    /** CEL says "no matching overload" when a null reaches an operator: say which column. */
    private String reason(Row row, CelEvaluationException e) {
        StringJoiner nulls = new StringJoiner(", ");
        for (int i : referenced) {
            if (row.get(i) == null) {
                nulls.add("row." + schema.columns().get(i).name());
            }
        }
        if (nulls.length() == 0 || !e.getMessage().contains("No matching overload")) {
            return e.getMessage();
        }
        return nulls
                + " is null here and the expression needs a value; guard it (row.x != null &&"
                + " ...) or give a default (coalesce(row.x, 0))";
    }

    private Object value(Row row, Row fullBefore, int i) {
        Object v = row.get(i);
        if (v == Unchanged.VALUE) {
            if (fullBefore == null) {
                throw failed(
                        row,
                        "column '"
                                + schema.columns().get(i).name()
                                + "' did not change and the source did not send it (a large"
                                + " value kept out of line); have the source send complete old"
                                + " rows (PostgreSQL: ALTER TABLE "
                                + schema.id()
                                + " REPLICA IDENTITY FULL)",
                        null);
            }
            v = fullBefore.get(i);
        }
        return CelValues.toCel(v, schema.columns().get(i).type());
    }

    /** An evaluation failure of this expression on a row, naming the row's key. */
    public SiphonException failed(Row row, String reason, Throwable cause) {
        return new SiphonException(
                ErrorCode.TRANSFORM_FAILED,
                "'"
                        + option
                        + "' expression \""
                        + text
                        + "\" failed on the row with "
                        + RowKeys.describe(schema, row)
                        + ": "
                        + reason,
                cause);
    }
}
