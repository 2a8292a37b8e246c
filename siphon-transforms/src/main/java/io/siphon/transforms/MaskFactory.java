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
import io.siphon.transforms.expr.RowExpression.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code mask}: hides column values. {@code sha256} replaces a value by the SHA-256 (hex) of the
 * salt and its text form: deterministic, so a masked key column still finds its row and joins still
 * match; {@code redact} by a constant, {@code partial} keeps the last characters, {@code null}
 * removes it. Only {@code sha256} may mask a key column: the others would make different keys
 * equal.
 */
public final class MaskFactory implements TransformFactory {

    /** The columns to mask. */
    public static final Option<List<String>> COLUMNS =
            Option.stringList("columns", "Columns to mask").asRequired();

    /** How. */
    public static final Option<String> WITH =
            Option.choice(
                    "with",
                    "sha256: hex SHA-256 of salt + the value's text (deterministic, allowed on key"
                            + " columns); redact: a constant, four asterisks; partial: all but"
                            + " the last keep-last characters become asterisks; null: no value",
                    "sha256",
                    "sha256",
                    "redact",
                    "partial",
                    "null");

    /** Characters {@code partial} leaves visible. */
    public static final Option<Integer> KEEP_LAST =
            Option.integer("keep-last", "Characters partial leaves visible at the end", 4);

    /** Salt of {@code sha256}. */
    public static final Option<String> SALT =
            Option.string(
                            "salt",
                            "Text put before each value hashed by sha256, so that known values"
                                    + " cannot be found by hashing guesses; keep it secret and"
                                    + " unchanged (a new salt gives new keys); none by default")
                    .asSensitive();

    static final String REDACTED = "****";

    @Override
    public String type() {
        return "mask";
    }

    @Override
    public String description() {
        return "Hides column values: sha256, redact, partial or null";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, COLUMNS, WITH, KEEP_LAST, SALT);
    }

    @Override
    public Transform create(Config config) {
        if (config.get(KEEP_LAST) < 0) {
            throw TableSelection.invalid("'keep-last' must be 0 or more");
        }
        return new Mask(
                TableSelection.of(config),
                config.get(COLUMNS),
                config.get(WITH),
                config.get(KEEP_LAST),
                java.util.Objects.requireNonNullElse(config.get(SALT), ""));
    }

    private record Mask(
            TableSelection tables, List<String> columns, String with, int keepLast, String salt)
            implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        public String toString() {
            return "Mask[" + columns + " with " + with + "]"; // never the salt
        }

        @Override
        @SuppressWarnings("unchecked")
        public BoundTransform bind(TableSchema input) {
            UnaryOperator<Object>[] functions = new UnaryOperator[input.columns().size()];
            List<Column> out = new ArrayList<>(input.columns());
            for (String name : columns) {
                int i = TableSelection.require(input, name, COLUMNS.name());
                Column c = input.columns().get(i);
                if (input.primaryKey().contains(name) && !with.equals("sha256")) {
                    throw TableSelection.invalid(
                            "key column '"
                                    + name
                                    + "' of "
                                    + input.id()
                                    + " can only be masked with sha256: "
                                    + with
                                    + " would give different rows the same key");
                }
                DataType from = c.type();
                switch (with) {
                    case "sha256" -> {
                        // One digest per column of the bound chain, which one thread uses.
                        Hashing.SaltedSha256 digest = new Hashing.SaltedSha256(salt);
                        functions[i] = v -> digest.hex(ValueText.of(v, from));
                        out.set(
                                i,
                                new Column(
                                        name,
                                        new DataType.StringType(64, false),
                                        c.nullable(),
                                        null));
                    }
                    case "redact" -> {
                        functions[i] = v -> REDACTED;
                        out.set(
                                i,
                                new Column(
                                        name, DataType.StringType.unbounded(), c.nullable(), null));
                    }
                    case "partial" -> {
                        functions[i] = v -> partial(ValueText.of(v, from));
                        out.set(
                                i,
                                new Column(
                                        name, DataType.StringType.unbounded(), c.nullable(), null));
                    }
                    default -> out.set(i, new Column(name, c.type(), true, c.nativeType()));
                }
            }
            TableSchema output = new TableSchema(input.id(), out, input.primaryKey());
            return with.equals("null")
                    ? new Nulling(input, output, nulledColumns(input))
                    : new ValueMapping(input, output, "mask", functions);
        }

        private boolean[] nulledColumns(TableSchema input) {
            boolean[] nulled = new boolean[input.columns().size()];
            for (String name : columns) {
                nulled[input.indexOf(name)] = true;
            }
            return nulled;
        }

        private String partial(String text) {
            int visible = Math.min(keepLast, text.length());
            return "*".repeat(text.length() - visible) + text.substring(text.length() - visible);
        }
    }

    /** {@code mask: null}: the columns become null, whatever they held, unchanged ones included. */
    private static final class Nulling extends RowMapping {

        private final boolean[] nulled;

        Nulling(TableSchema input, TableSchema output, boolean[] nulled) {
            super(input, output);
            this.nulled = nulled;
        }

        @Override
        Row map(Row row, Op op, Row fullBefore, boolean keyOnly) {
            Object[] values = row.values().clone();
            for (int i = 0; i < values.length; i++) {
                if (nulled[i]) {
                    values[i] = null;
                }
            }
            return new Row(values);
        }
    }
}
