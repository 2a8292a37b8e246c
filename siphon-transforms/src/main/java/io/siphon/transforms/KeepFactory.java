package io.siphon.transforms;

import io.siphon.model.Column;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Config;
import io.siphon.spi.Option;
import io.siphon.spi.transform.BoundTransform;
import io.siphon.spi.transform.Transform;
import io.siphon.spi.transform.TransformFactory;
import io.siphon.spi.transform.TransformOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keep}: keeps only the named columns, in the table's order. The key columns must be among
 * them. A column added at the source later does not reach the target through a {@code keep}.
 */
public final class KeepFactory implements TransformFactory {

    /** The columns to keep. */
    public static final Option<List<String>> COLUMNS =
            Option.stringList(
                            "columns",
                            "Columns to keep, the key columns among them; the others are left out")
                    .asRequired();

    @Override
    public String type() {
        return "keep";
    }

    @Override
    public String description() {
        return "Keeps only the named columns";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, COLUMNS);
    }

    @Override
    public Transform create(Config config) {
        return new Keep(TableSelection.of(config), config.get(COLUMNS));
    }

    private record Keep(TableSelection tables, List<String> columns) implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        public BoundTransform bind(TableSchema input) {
            for (String c : columns) {
                TableSelection.require(input, c, COLUMNS.name());
            }
            List<String> missingKey =
                    input.primaryKey().stream().filter(k -> !columns.contains(k)).toList();
            if (!missingKey.isEmpty()) {
                throw TableSelection.invalid(
                        "'columns' must include the key columns of "
                                + input.id()
                                + " ("
                                + String.join(", ", input.primaryKey())
                                + "): the target finds rows by their key; add "
                                + String.join(", ", missingKey));
            }
            List<Column> kept = new ArrayList<>();
            List<Integer> sources = new ArrayList<>();
            for (int i = 0; i < input.columns().size(); i++) {
                Column c = input.columns().get(i);
                if (columns.contains(c.name())) {
                    kept.add(c);
                    sources.add(i);
                }
            }
            return new Projection(
                    input,
                    new TableSchema(input.id(), kept, input.primaryKey()),
                    sources.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
