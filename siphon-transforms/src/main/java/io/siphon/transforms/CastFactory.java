package io.siphon.transforms;

import io.siphon.model.Column;
import io.siphon.model.DataType;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Option;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.spi.transform.Transform;
import io.siphon.spi.transform.TransformFactory;
import io.siphon.spi.transform.TransformOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code cast}: changes the type of columns. A cast that no value could make is refused when the
 * operator is bound; a value that does not convert fails the pipeline naming the column and the
 * row's key. Casting a key column is allowed: the same value always casts to the same result.
 */
public final class CastFactory implements TransformFactory {

    /** Column name to type name. */
    public static final Option<Map<String, String>> COLUMNS =
            Option.stringMap(
                            "columns",
                            "Columns to convert, each to a type: boolean, int16, int32, int64,"
                                    + " decimal(p,s), float32, float64, string, varchar(n),"
                                    + " binary, date, time, timestamp, timestamptz, uuid, json,"
                                    + " jsonb, T[]")
                    .asRequired();

    @Override
    public String type() {
        return "cast";
    }

    @Override
    public String description() {
        return "Changes the type of columns";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, COLUMNS);
    }

    @Override
    public Transform create(Config config) {
        Map<String, DataType> types = new LinkedHashMap<>();
        config.get(COLUMNS).forEach((column, type) -> types.put(column, TypeNames.parse(type)));
        return new Cast(TableSelection.of(config), types);
    }

    private record Cast(TableSelection tables, Map<String, DataType> types) implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        @SuppressWarnings("unchecked")
        public BoundTransform bind(TableSchema input) {
            UnaryOperator<Object>[] functions = new UnaryOperator[input.columns().size()];
            List<Column> columns = new ArrayList<>(input.columns());
            for (Map.Entry<String, DataType> e : types.entrySet()) {
                int i = TableSelection.require(input, e.getKey(), COLUMNS.name());
                Column c = input.columns().get(i);
                DataType to = e.getValue();
                functions[i] =
                        Casts.converter(c.type(), to)
                                .orElseThrow(
                                        () ->
                                                TableSelection.invalid(
                                                        "column '"
                                                                + c.name()
                                                                + "' of "
                                                                + input.id()
                                                                + " is "
                                                                + TypeNames.name(c.type())
                                                                + ", which cannot be cast to "
                                                                + TypeNames.name(to)
                                                                + "; cast it to string, or"
                                                                + " compute the value with an"
                                                                + " expression"));
                columns.set(i, new Column(c.name(), to, c.nullable(), null));
            }
            return new ValueMapping(
                    input,
                    new TableSchema(input.id(), columns, input.primaryKey()),
                    "cast",
                    functions);
        }
    }
}
