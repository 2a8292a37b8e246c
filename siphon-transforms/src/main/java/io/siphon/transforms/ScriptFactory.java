package io.siphon.transforms;

import io.siphon.model.ChangeEvent.DataChange;
import io.siphon.model.ChangeEvent.Delete;
import io.siphon.model.ChangeEvent.Insert;
import io.siphon.model.ChangeEvent.Update;
import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.model.Unchanged;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.spi.transform.Transform;
import io.siphon.spi.transform.TransformFactory;
import io.siphon.spi.transform.TransformOptions;
import io.siphon.transforms.JsSandbox.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code script}: a JavaScript function {@code (row, ctx)} per row, in a sandbox (no Java classes,
 * no state between rows, a time and an allocation limit per call). It returns the row (changed or
 * not), {@code null} to leave it out, or a list of rows. Columns it adds or retypes are declared
 * with their types; the rest keep the input schema. On a change the function runs on the old and
 * the new row, so that a row moving out of what the script keeps becomes a delete at the target and
 * one moving in an insert, as with {@code filter}.
 */
public final class ScriptFactory implements TransformFactory {

    /** The function's source. */
    public static final Option<String> FUNCTION =
            Option.string(
                            "function",
                            "JavaScript function of (row, ctx): row.<column> are the values,"
                                    + " ctx.op is insert, update, delete or snapshot and ctx.table"
                                    + " the table; return the row, null to leave it out, or a list"
                                    + " of rows")
                    .asRequired();

    /** Columns the function adds or changes the type of. */
    public static final Option<Map<String, String>> COLUMNS =
            Option.stringMap(
                    "columns",
                    "Columns the function adds (last, in this order) or retypes, each with its"
                            + " type, for example { total: \"decimal(12,2)\" }");

    /** Time limit per call. */
    public static final Option<Duration> TIME_LIMIT =
            Option.duration(
                    "time-limit",
                    "Longest a call may run before the row fails with TRANSFORM_FAILED",
                    Duration.ofMillis(500));

    /** Allocation limit per call. */
    public static final Option<Integer> MEMORY_LIMIT_MB =
            Option.integer(
                    "memory-limit-mb",
                    "Most memory a call may allocate, in MiB, before the row fails with"
                            + " TRANSFORM_FAILED",
                    64);

    @Override
    public String type() {
        return "script";
    }

    @Override
    public String description() {
        return "Runs a JavaScript function on each row in a sandbox; it returns the row, null to"
                + " leave it out, or a list of rows";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, FUNCTION, COLUMNS, TIME_LIMIT, MEMORY_LIMIT_MB);
    }

    @Override
    public Transform create(Config config) {
        Map<String, DataType> declared = new LinkedHashMap<>();
        config.get(COLUMNS).forEach((name, type) -> declared.put(name, TypeNames.parse(type)));
        JsSandbox.Limits limits =
                new JsSandbox.Limits(
                        config.get(TIME_LIMIT), config.get(MEMORY_LIMIT_MB) * 1024L * 1024L);
        String source = config.get(FUNCTION);
        // Compiled here too, so that a syntax error fails validation before any table is bound.
        new JsSandbox(source, limits);
        return new Script(TableSelection.of(config), source, declared, limits);
    }

    private record Script(
            TableSelection tables,
            String source,
            Map<String, DataType> declared,
            JsSandbox.Limits limits)
            implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        public BoundTransform bind(TableSchema input) {
            List<Column> columns = new ArrayList<>(input.columns());
            for (Map.Entry<String, DataType> e : declared.entrySet()) {
                int at = input.indexOf(e.getKey());
                if (at < 0) {
                    columns.add(Column.of(e.getKey(), e.getValue()));
                } else if (input.primaryKey().contains(e.getKey())) {
                    throw TableSelection.invalid(
                            "script 'columns' retypes the key column '"
                                    + e.getKey()
                                    + "' of "
                                    + input.id()
                                    + "; the target finds rows by it, so cast it with 'cast'"
                                    + " before the script instead");
                } else {
                    Column old = columns.get(at);
                    columns.set(at, new Column(old.name(), e.getValue(), true, null));
                }
            }
            TableSchema output = new TableSchema(input.id(), columns, input.primaryKey());
            return new BoundScript(input, output, new JsSandbox(source, limits));
        }
    }

    private record BoundScript(TableSchema input, TableSchema output, JsSandbox sandbox)
            implements BoundTransform {

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
            run(row, Op.SNAPSHOT).forEach(out);
        }

        @Override
        public void change(DataChange change, Consumer<DataChange> out) {
            switch (change) {
                case Insert i ->
                        run(i.after(), Op.INSERT)
                                .forEach(r -> out.accept(new Insert(output.id(), r, i.meta())));
                case Delete d -> {
                    if (d.beforeIsKeyOnly()) {
                        // Nothing to run the function on: the target row has the same key.
                        out.accept(new Delete(output.id(), keyRow(d.before()), true, d.meta()));
                    } else {
                        run(d.before(), Op.DELETE)
                                .forEach(
                                        r ->
                                                out.accept(
                                                        new Delete(
                                                                output.id(), r, false, d.meta())));
                    }
                }
                case Update u -> update(u, out);
            }
        }

        /**
         * The old row's results are matched to the new row's by position: a pair is an update
         * (which moves the row at the target when the script changed its key), an old result
         * without a new one a delete, a new one without an old one an insert.
         */
        private void update(Update u, Consumer<DataChange> out) {
            if (u.beforeIsKeyOnly()) {
                updateByKey(u, out);
                return;
            }
            List<Row> before = run(u.before(), Op.UPDATE);
            List<Row> after = run(u.after(), Op.UPDATE);
            int n = Math.max(before.size(), after.size());
            for (int i = 0; i < n; i++) {
                Row b = i < before.size() ? before.get(i) : null;
                Row a = i < after.size() ? after.get(i) : null;
                if (b != null && a != null) {
                    out.accept(new Update(output.id(), b, false, a, u.meta()));
                } else if (b != null) {
                    out.accept(new Delete(output.id(), b, false, u.meta()));
                } else {
                    out.accept(new Insert(output.id(), complete(a, u.before()), u.meta()));
                }
            }
        }

        private List<Row> run(Row row, Op op) {
            return sandbox.call(input, output, row, op);
        }

        /**
         * An update whose old row has only its key (no {@code REPLICA IDENTITY FULL}): the function
         * cannot run on it, so the old target row is the one with the same key, and the function
         * must not change keys, which is checked on every new row.
         */
        private void updateByKey(Update u, Consumer<DataChange> out) {
            Row oldKey = keyRow(u.before());
            List<Row> after = run(u.after(), Op.UPDATE);
            if (after.isEmpty()) {
                out.accept(new Delete(output.id(), oldKey, true, u.meta()));
                return;
            }
            Row newKey = keyRow(u.after());
            for (Row a : after) {
                for (int k : output.keyIndexes()) {
                    if (!Objects.equals(a.get(k), newKey.get(k))) {
                        throw new SiphonException(
                                ErrorCode.TRANSFORM_FAILED,
                                "script changed the key of a row of "
                                        + input.id()
                                        + " whose old values the source does not send: the old"
                                        + " target row cannot be found; run ALTER TABLE "
                                        + input.id()
                                        + " REPLICA IDENTITY FULL at the source, or leave keys"
                                        + " unchanged in the function");
                    }
                }
                out.accept(new Update(output.id(), oldKey, true, a, u.meta()));
            }
        }

        /** The output row holding only the key values of an input row. */
        private Row keyRow(Row row) {
            Object[] values = new Object[output.columns().size()];
            for (int k : output.keyIndexes()) {
                values[k] = row.get(input.indexOf(output.columns().get(k).name()));
            }
            return new Row(values);
        }

        /** A new row's unchanged values taken from the complete old row: an insert has none. */
        private Row complete(Row after, Row before) {
            Object[] values = after.values().clone();
            for (int i = 0; i < values.length; i++) {
                if (values[i] == Unchanged.VALUE) {
                    int from = input.indexOf(output.columns().get(i).name());
                    values[i] = from < 0 ? null : before.get(from);
                }
            }
            return new Row(values);
        }
    }
}
