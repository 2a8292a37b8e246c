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
import java.util.Map;
import java.util.stream.IntStream;

/** {@code rename}: gives columns new names; the key follows. */
public final class RenameFactory implements TransformFactory {

    /** Old name to new name. */
    public static final Option<Map<String, String>> COLUMNS =
            Option.stringMap("columns", "Columns to rename, each old name to its new name")
                    .asRequired();

    @Override
    public String type() {
        return "rename";
    }

    @Override
    public String description() {
        return "Renames columns; the key follows";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(TransformOptions.TABLES, COLUMNS);
    }

    @Override
    public Transform create(Config config) {
        return new Rename(TableSelection.of(config), config.get(COLUMNS));
    }

    private record Rename(TableSelection tables, Map<String, String> renames) implements Transform {

        @Override
        public boolean appliesTo(TableId table) {
            return tables.matches(table);
        }

        @Override
        public BoundTransform bind(TableSchema input) {
            renames.keySet().forEach(c -> TableSelection.require(input, c, COLUMNS.name()));
            List<Column> columns = new ArrayList<>();
            for (Column c : input.columns()) {
                String name = renames.getOrDefault(c.name(), c.name());
                if (columns.stream().anyMatch(o -> o.name().equals(name))
                        || (!name.equals(c.name())
                                && input.indexOf(name) >= 0
                                && !renames.containsKey(name))) {
                    throw TableSelection.invalid(
                            "'columns' renames '"
                                    + c.name()
                                    + "' to '"
                                    + name
                                    + "', a name "
                                    + input.id()
                                    + " already has; choose another or drop that column first");
                }
                columns.add(new Column(name, c.type(), c.nullable(), c.nativeType()));
            }
            List<String> key =
                    input.primaryKey().stream().map(k -> renames.getOrDefault(k, k)).toList();
            return new Projection(
                    input,
                    new TableSchema(input.id(), columns, key),
                    IntStream.range(0, columns.size()).toArray());
        }
    }
}
