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
 * {@code drop}: leaves columns out. Key columns cannot be dropped (the target finds rows by them;
 * mask them instead); a named column the table does not have is an error, so a typo never leaves
 * data in place silently.
 */
public final class DropFactory implements TransformFactory {

    /** The columns to leave out. */
    public static final Option<List<String>> COLUMNS =
            Option.stringList("columns", "Columns to leave out; not key columns").asRequired();

    @Override
    public String type() {
        return "drop";
    }

    @Override
    public String description() {
        return "Leaves columns out";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, COLUMNS);
    }

    @Override
    public Transform create(Config config) {
        return new Drop(TableSelection.of(config), config.get(COLUMNS));
    }

    private record Drop(TableSelection tables, List<String> columns) implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        public BoundTransform bind(TableSchema input) {
            for (String c : columns) {
                TableSelection.require(input, c, COLUMNS.name());
                if (input.primaryKey().contains(c)) {
                    throw TableSelection.invalid(
                            "'columns' names key column '"
                                    + c
                                    + "' of "
                                    + input.id()
                                    + ", which cannot be dropped: the target finds rows by"
                                    + " their key; mask it instead (mask: sha256 keeps it"
                                    + " unique)");
                }
            }
            List<Column> kept = new ArrayList<>();
            List<Integer> sources = new ArrayList<>();
            for (int i = 0; i < input.columns().size(); i++) {
                Column c = input.columns().get(i);
                if (!columns.contains(c.name())) {
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
