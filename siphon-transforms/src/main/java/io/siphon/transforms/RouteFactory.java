package io.siphon.transforms;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Option;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.spi.transform.Transform;
import io.siphon.spi.transform.TransformFactory;
import io.siphon.spi.transform.TransformOptions;
import io.siphon.transforms.expr.RowExpression.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code route}: sends a table's rows to another target table, named by a rule. Many tables may go
 * to one target (a union of shards); {@code source-column} then adds a column holding the source
 * table's name and puts it in the key, so equal keys of different shards stay different rows.
 */
public final class RouteFactory implements TransformFactory {

    /** The target name rule. */
    public static final Option<String> TARGET =
            Option.string(
                            "target",
                            "Target table as schema.table, with {schema} and {table} for the"
                                    + " source table's parts and {1}, {2}... for the groups of"
                                    + " match")
                    .asRequired();

    /** A regular expression over {@code schema.table}. */
    public static final Option<String> MATCH =
            Option.string(
                    "match",
                    "Regular expression matched against the whole source name schema.table; only"
                            + " matching tables are routed, and its groups fill {1}, {2}... of"
                            + " target");

    /** The union's source column. */
    public static final Option<String> SOURCE_COLUMN =
            Option.string(
                    "source-column",
                    "Name of a text column to add that holds the source table (schema.table) and"
                            + " joins the key: rows of different tables with equal keys stay"
                            + " apart in a shared target");

    /** What the source column holds instead of the source table's name. */
    public static final Option<String> SOURCE_VALUE =
            Option.string(
                    "source-value",
                    "Text that source-column holds instead of the source table's name, for"
                            + " example the name of the database the rows come from (a pipeline"
                            + " graph's union sets it to the source node)");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(schema|table|\\d)}");

    @Override
    public String type() {
        return "route";
    }

    @Override
    public String description() {
        return "Sends tables to target tables named by a rule; many to one with an optional"
                + " source-table column in the key";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, TARGET, MATCH, SOURCE_COLUMN, SOURCE_VALUE);
    }

    @Override
    public Transform create(Config config) {
        Pattern match = null;
        if (config.has(MATCH)) {
            try {
                match = Pattern.compile(config.get(MATCH));
            } catch (PatternSyntaxException e) {
                throw TableSelection.invalid(
                        "'match' is not a valid regular expression: " + e.getDescription());
            }
        }
        String target = config.get(TARGET);
        Matcher m = PLACEHOLDER.matcher(target);
        int groups = match == null ? 0 : match.matcher("").groupCount();
        while (m.find()) {
            String p = m.group(1);
            if (Character.isDigit(p.charAt(0)) && Integer.parseInt(p) > groups) {
                throw TableSelection.invalid(
                        "'target' uses {"
                                + p
                                + "} but 'match' has "
                                + groups
                                + " group(s); add a group (...) to match or remove {"
                                + p
                                + "}");
            }
        }
        if (config.has(SOURCE_VALUE) && !config.has(SOURCE_COLUMN)) {
            throw TableSelection.invalid(
                    "'source-value' is set without 'source-column'; add source-column: <name> or"
                            + " remove source-value");
        }
        return new Route(
                TableSelection.of(config),
                target,
                match,
                config.get(SOURCE_COLUMN),
                config.get(SOURCE_VALUE));
    }

    private record Route(
            TableSelection tables,
            String target,
            Pattern match,
            String sourceColumn,
            String sourceValue)
            implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table) && (match == null || matcher(table).matches());
        }

        private Matcher matcher(TableId table) {
            return match.matcher(table.schema() + "." + table.table());
        }

        @Override
        public BoundTransform bind(TableSchema input) {
            TableId to = targetOf(input.id());
            if (sourceColumn == null) {
                return new BoundRoute(input, input.withId(to), null);
            }
            if (input.indexOf(sourceColumn) >= 0) {
                throw TableSelection.invalid(
                        "'source-column' is '"
                                + sourceColumn
                                + "', a column "
                                + input.id()
                                + " already has; choose another name");
            }
            List<Column> columns = new ArrayList<>(input.columns());
            columns.add(new Column(sourceColumn, DataType.StringType.unbounded(), false, null));
            List<String> key = new ArrayList<>(input.primaryKey());
            // A table without a key stays without: its rows are matched on all columns anyway.
            if (!key.isEmpty()) {
                key.add(sourceColumn);
            }
            return new BoundRoute(
                    input,
                    new TableSchema(to, columns, key),
                    sourceValue == null ? input.id().toString() : sourceValue);
        }

        private TableId targetOf(TableId source) {
            Matcher groups = match == null ? null : matcher(source);
            if (groups != null) {
                groups.matches();
            }
            Matcher m = PLACEHOLDER.matcher(target);
            StringBuilder name = new StringBuilder();
            while (m.find()) {
                String p = m.group(1);
                String value =
                        switch (p) {
                            case "schema" -> source.schema();
                            case "table" -> source.table();
                            default -> groups.group(Integer.parseInt(p));
                        };
                m.appendReplacement(name, Matcher.quoteReplacement(value));
            }
            m.appendTail(name);
            try {
                return TableId.parse(name.toString(), source.schema());
            } catch (IllegalArgumentException e) {
                throw new SiphonException(
                        ErrorCode.TRANSFORM_INVALID,
                        "'target' gives '"
                                + name
                                + "' for "
                                + source
                                + ", which is not a table name: "
                                + e.getMessage());
            }
        }
    }

    private static final class BoundRoute extends RowMapping {

        private final String sourceName;

        /**
         * @param sourceName the source-column value, null when there is no such column
         */
        BoundRoute(TableSchema input, TableSchema output, String sourceName) {
            super(input, output);
            this.sourceName = sourceName;
        }

        @Override
        Row map(Row row, Op op, Row fullBefore, boolean keyOnly) {
            if (sourceName == null) {
                return row;
            }
            Object[] values = java.util.Arrays.copyOf(row.values(), row.size() + 1);
            values[row.size()] = sourceName;
            return new Row(values);
        }
    }
}
