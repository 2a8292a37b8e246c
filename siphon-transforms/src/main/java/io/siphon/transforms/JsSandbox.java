package io.siphon.transforms;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * One compiled JavaScript row function and the sandbox it runs in (Rhino, compiled to bytecode):
 *
 * <ul>
 *   <li>no Java: every Java class is refused and only the safe standard objects exist (no {@code
 *       Packages}, {@code java}, {@code importClass});
 *   <li>no state between rows: the global scope is sealed, so an assignment to a global fails;
 *   <li>a time and an allocation limit per call, checked every few thousand instructions; a call
 *       past either fails its row with {@link ErrorCode#TRANSFORM_FAILED}. One single allocation
 *       larger than the heap can still exhaust it between two checks.
 * </ul>
 *
 * <p>Safe to share between threads: each call enters its own context on the calling thread.
 */
final class JsSandbox {

    /** What the function is told it runs on. */
    public enum Op {
        SNAPSHOT,
        INSERT,
        UPDATE,
        DELETE;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The limits of one call. */
    public record Limits(Duration time, long allocatedBytes) {}

    private static final int CHECK_EVERY_INSTRUCTIONS = 5_000;

    private final Limits limits;
    private final Factory factory;
    private final ScriptableObject globals;
    private final Function function;

    /**
     * Compiles {@code source}, which must evaluate to a function.
     *
     * @throws SiphonException {@link ErrorCode#TRANSFORM_INVALID} with the line and the reason
     */
    public JsSandbox(String source, Limits limits) {
        this.limits = limits;
        this.factory = new Factory(limits);
        Context cx = factory.enterContext();
        try {
            globals = cx.initSafeStandardObjects(null, true);
            // Sealed too: a global assigned in one call would otherwise be seen by the next row.
            globals.sealObject();
            Object value;
            try {
                factory.startCall(cx);
                value = cx.evaluateString(globals, "(" + source + "\n)", "script", 1, null);
            } catch (RhinoException e) {
                throw invalid(source, e.details() + " (line " + e.lineNumber() + ")");
            } catch (LimitExceeded e) {
                throw invalid(source, e.getMessage() + " while evaluating it");
            }
            if (!(value instanceof Function f)) {
                throw invalid(source, "it is not a function");
            }
            function = f;
        } finally {
            Context.exit();
        }
    }

    private static SiphonException invalid(String source, String why) {
        return new SiphonException(
                ErrorCode.TRANSFORM_INVALID,
                "script 'function' cannot be used: "
                        + why
                        + "; it must be a JavaScript function such as (row, ctx) => { row.total ="
                        + " row.price * row.qty; return row; }, given: "
                        + abbreviated(source));
    }

    private static String abbreviated(String source) {
        String oneLine = source.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    /**
     * Runs the function on one row.
     *
     * @param input the schema of {@code row}
     * @param output the schema of the rows returned
     * @return the rows the function returned, in order (none when it returned null)
     * @throws SiphonException {@link ErrorCode#TRANSFORM_FAILED} naming the table, the row's key
     *     and what went wrong
     */
    public List<Row> call(TableSchema input, TableSchema output, Row row, Op op) {
        Context cx = factory.enterContext();
        try {
            // What the function was given, by identity: a value it hands back untouched keeps its
            // exact Java value (a decimal or a 64-bit integer is a double in JavaScript).
            Map<Object, Given> given = new IdentityHashMap<>();
            Scriptable jsRow = cx.newObject(globals);
            for (int i = 0; i < input.columns().size(); i++) {
                Object value = row.get(i);
                if (value == Unchanged.VALUE) {
                    continue;
                }
                DataType type = input.columns().get(i).type();
                Object js = JsValues.toJs(value, type, cx, globals);
                if (js != null) {
                    given.put(js, new Given(value, type));
                }
                ScriptableObject.putProperty(jsRow, input.columns().get(i).name(), js);
            }
            Scriptable ctx = cx.newObject(globals);
            ScriptableObject.putProperty(ctx, "op", op.text());
            ScriptableObject.putProperty(ctx, "table", input.id().toString());
            Object result;
            try {
                factory.startCall(cx);
                result = function.call(cx, globals, globals, new Object[] {jsRow, ctx});
            } catch (RhinoException e) {
                throw failed(input, row, e.details() + " (line " + e.lineNumber() + ")", e);
            } catch (LimitExceeded e) {
                throw failed(input, row, e.getMessage(), e);
            } catch (StackOverflowError e) {
                throw failed(input, row, "too deep a recursion", null);
            }
            return rows(cx, result, input, output, row, given);
        } finally {
            Context.exit();
        }
    }

    private List<Row> rows(
            Context cx,
            Object result,
            TableSchema input,
            TableSchema output,
            Row row,
            Map<Object, Given> given) {
        if (result == null || result instanceof Undefined) {
            return List.of();
        }
        if (result instanceof NativeArray array) {
            List<Row> rows = new ArrayList<>();
            for (Object element : array) {
                if (element != null) {
                    rows.add(toRow(cx, element, input, output, row, given));
                }
            }
            return rows;
        }
        return List.of(toRow(cx, result, input, output, row, given));
    }

    private Row toRow(
            Context cx,
            Object result,
            TableSchema input,
            TableSchema output,
            Row row,
            Map<Object, Given> given) {
        if (!(result instanceof Scriptable object) || result instanceof Function) {
            throw failed(
                    input,
                    row,
                    "it returned "
                            + Context.toString(result)
                            + "; return the row object, null to leave the row out, or a list"
                            + " of rows",
                    null);
        }
        for (Object id : object.getIds()) {
            if (id instanceof String name && output.indexOf(name) < 0) {
                throw failed(
                        input,
                        row,
                        "it returned a field '"
                                + name
                                + "' that is not a column of the output; declare it under"
                                + " 'columns' with its type",
                        null);
            }
        }
        Object[] values = new Object[output.columns().size()];
        for (int i = 0; i < values.length; i++) {
            Column column = output.columns().get(i);
            Object js = ScriptableObject.getProperty(object, column.name());
            int from = input.indexOf(column.name());
            if (js == Scriptable.NOT_FOUND || js instanceof Undefined) {
                // Left alone: an unchanged value stays unchanged; a field deleted is NULL.
                values[i] = from >= 0 && row.get(from) == Unchanged.VALUE ? Unchanged.VALUE : null;
                continue;
            }
            Given original = js == null ? null : given.get(js);
            if (original != null && column.type().equals(original.type())) {
                values[i] = original.value();
                continue;
            }
            try {
                values[i] = JsValues.fromJs(js, column.type(), cx, globals);
            } catch (RuntimeException e) {
                throw failed(
                        input,
                        row,
                        "column '"
                                + column.name()
                                + "' ("
                                + JsValues.typeName(column.type())
                                + ") cannot take "
                                + Context.toString(js)
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return new Row(values);
    }

    /** A value handed to the function, with its type. */
    private record Given(Object value, DataType type) {}

    private static SiphonException failed(
            TableSchema input, Row row, String what, Throwable cause) {
        StringBuilder key = new StringBuilder();
        int[] keys = input.keyIndexes();
        for (int k : keys) {
            if (!key.isEmpty()) {
                key.append(", ");
            }
            key.append(input.columns().get(k).name()).append('=').append(row.get(k));
        }
        return new SiphonException(
                ErrorCode.TRANSFORM_FAILED,
                "script failed on "
                        + (keys.length == 0 ? "a row (no key)" : "the row (" + key + ")")
                        + " of "
                        + input.id()
                        + ": "
                        + what,
                cause);
    }

    /** A call past its time or allocation limit; an Error, so that JavaScript cannot catch it. */
    private static final class LimitExceeded extends Error {
        LimitExceeded(String message) {
            super(message, null, false, false);
        }
    }

    /** Contexts of this sandbox only: no global factory, so nothing is shared between pipelines. */
    private static final class Factory extends ContextFactory {

        private static final Object STARTED = new Object();

        private final Limits limits;
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        Factory(Limits limits) {
            this.limits = limits;
        }

        @Override
        protected Context makeContext() {
            Context cx = super.makeContext();
            cx.setLanguageVersion(Context.VERSION_ES6);
            cx.setInterpretedMode(false);
            cx.setClassShutter(className -> false);
            cx.setGenerateObserverCount(true);
            cx.setInstructionObserverThreshold(CHECK_EVERY_INSTRUCTIONS);
            return cx;
        }

        void startCall(Context cx) {
            cx.putThreadLocal(
                    STARTED,
                    new long[] {System.nanoTime(), threads.getCurrentThreadAllocatedBytes()});
        }

        @Override
        protected void observeInstructionCount(Context cx, int instructionCount) {
            long[] started = (long[]) cx.getThreadLocal(STARTED);
            if (started == null) {
                return;
            }
            if (System.nanoTime() - started[0] > limits.time().toNanos()) {
                throw new LimitExceeded(
                        "it ran longer than its time-limit of " + limits.time().toMillis() + " ms");
            }
            if (threads.getCurrentThreadAllocatedBytes() - started[1] > limits.allocatedBytes()) {
                throw new LimitExceeded(
                        "it allocated more than its memory-limit-mb of "
                                + limits.allocatedBytes() / (1024 * 1024)
                                + " MiB");
            }
        }
    }
}
