package io.siphon.spi.transform;

import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The operators of a pipeline bound, in order, to one source table: the output schema of each is
 * the input of the next, and each row or change runs through all of them. Operators that do not
 * {@link Transform#appliesTo apply} to the table (as named when it reaches them) are left out.
 *
 * <p>Made by the thread that owns the table's rows, at pipeline start and again after every schema
 * change of the table (the engine then compares {@link #outputSchema()} before and after to find
 * the change to apply at the target); used by that thread only.
 *
 * <p>Every error of an operator, at bind time or on a row, is reported with the step's name and
 * operator type, for example {@code transform 'amounts' (compute) on table public.orders: ...}.
 */
public final class TransformChain {

    /**
     * One operator of a pipeline with the name it has in the spec.
     *
     * @param name the node's name in the spec (for error messages and per-node schemas)
     * @param type the operator type, for example {@code filter}
     * @param transform the configured operator
     */
    public record Step(String name, String type, Transform transform) {
        /** Checks the parts. */
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(transform, "transform");
        }
    }

    /**
     * The schema after one step, for {@code siphon validate} and the UI.
     *
     * @param step the step's name
     * @param schema the rows' schema after it
     */
    public record StepSchema(String step, TableSchema schema) {}

    private final List<Step> steps;
    private final TableSchema input;
    private final List<Step> applied;
    private final List<BoundTransform> bound;
    private final List<List<Row>> rowBuffers = new ArrayList<>();
    private final List<List<DataChange>> changeBuffers = new ArrayList<>();

    private TransformChain(
            List<Step> steps, TableSchema input, List<Step> applied, List<BoundTransform> bound) {
        this.steps = List.copyOf(steps);
        this.input = input;
        this.applied = List.copyOf(applied);
        this.bound = List.copyOf(bound);
        for (int i = 0; i <= bound.size(); i++) {
            rowBuffers.add(new ArrayList<>());
            changeBuffers.add(new ArrayList<>());
        }
    }

    /**
     * Binds the steps, in order, to a source table.
     *
     * @throws SiphonException the first step that does not fit, named, with the operator's reason
     */
    public static TransformChain bind(List<Step> steps, TableSchema source) {
        List<Step> applied = new ArrayList<>();
        List<BoundTransform> bound = new ArrayList<>();
        TableSchema current = source;
        for (Step step : steps) {
            if (!step.transform().appliesTo(current.id())) {
                continue;
            }
            try {
                BoundTransform b = step.transform().bind(current);
                applied.add(step);
                bound.add(b);
                current = b.outputSchema();
            } catch (SiphonException e) {
                throw named(step, current, e);
            }
        }
        return new TransformChain(steps, source, applied, bound);
    }

    /**
     * The same steps bound to the table's new schema, after a schema change at the source; compare
     * the {@link #outputSchema()} of both chains to find the change to apply at the target.
     *
     * @throws SiphonException the first step that no longer fits, for example a {@code compute}
     *     whose expression reads a dropped column
     */
    public TransformChain rebind(TableSchema newSource) {
        return bind(steps, newSource);
    }

    /** The source table's schema. */
    public TableSchema inputSchema() {
        return input;
    }

    /** The schema of the rows leaving the last step: what the target table is made from. */
    public TableSchema outputSchema() {
        return bound.isEmpty() ? input : bound.get(bound.size() - 1).outputSchema();
    }

    /** The schema after each step that applies to the table, in order. */
    public List<StepSchema> stepSchemas() {
        List<StepSchema> out = new ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            out.add(new StepSchema(applied.get(i).name(), bound.get(i).outputSchema()));
        }
        return out;
    }

    /** Runs a snapshot row through every step; the resulting rows go to {@code out}. */
    public void row(Row row, Consumer<Row> out) {
        if (bound.isEmpty()) {
            out.accept(row);
            return;
        }
        // Reused buffers per step: the chain is used by one thread, and rows are the hot path.
        List<Row> current = rowBuffers.get(0);
        current.clear();
        current.add(row);
        for (int i = 0; i < bound.size(); i++) {
            List<Row> next = rowBuffers.get(i + 1);
            next.clear();
            BoundTransform b = bound.get(i);
            try {
                for (Row r : current) {
                    b.row(r, next::add);
                }
            } catch (SiphonException e) {
                throw named(applied.get(i), b.inputSchema(), e);
            }
            current = next;
        }
        current.forEach(out);
    }

    /** Runs a data change through every step; the resulting changes go to {@code out}. */
    public void change(DataChange change, Consumer<DataChange> out) {
        if (bound.isEmpty()) {
            out.accept(change);
            return;
        }
        List<DataChange> current = changeBuffers.get(0);
        current.clear();
        current.add(change);
        for (int i = 0; i < bound.size(); i++) {
            List<DataChange> next = changeBuffers.get(i + 1);
            next.clear();
            BoundTransform b = bound.get(i);
            try {
                for (DataChange c : current) {
                    b.change(c, next::add);
                }
            } catch (SiphonException e) {
                throw named(applied.get(i), b.inputSchema(), e);
            }
            current = next;
        }
        current.forEach(out);
    }

    private static SiphonException named(Step step, TableSchema table, SiphonException e) {
        return new SiphonException(
                e.code(),
                "transform '"
                        + step.name()
                        + "' ("
                        + step.type()
                        + ") on table "
                        + table.id()
                        + ": "
                        + e.getMessage(),
                e);
    }
}
