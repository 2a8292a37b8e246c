package io.siphon.spi;

import io.siphon.model.TableId;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sink's {@link StandardOptions#COLUMN_TYPES} read: for target columns, the type to create them
 * with, in the sink's own SQL, instead of the one the sink would choose.
 *
 * @param byTable per target table, column name to type declaration, in the order given
 */
public record ColumnTypes(Map<TableId, Map<String, String>> byTable) implements Serializable {

    /** No overrides. */
    public static final ColumnTypes NONE = new ColumnTypes(Map.of());

    /** Copies the maps. */
    public ColumnTypes {
        Map<TableId, Map<String, String>> copy = new LinkedHashMap<>();
        byTable.forEach(
                (t, columns) ->
                        copy.put(
                                t,
                                java.util.Collections.unmodifiableMap(
                                        new LinkedHashMap<>(columns))));
        byTable = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Reads the option of a sink's configuration.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for a key that is not {@code
     *     schema.table.column} or an empty type
     */
    public static ColumnTypes of(Config sinkConfig) {
        return parse(sinkConfig.get(StandardOptions.COLUMN_TYPES));
    }

    /**
     * Reads {@code schema.table.column: type} entries; each name part may be double-quoted.
     *
     * @throws SiphonException {@link ErrorCode#CONFIG_INVALID_VALUE} for a key that is not {@code
     *     schema.table.column} or an empty type
     */
    public static ColumnTypes parse(Map<String, String> entries) {
        Map<TableId, Map<String, String>> byTable = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            List<String> parts;
            try {
                parts = TableId.splitQualifiedName(e.getKey());
            } catch (IllegalArgumentException ex) {
                parts = List.of();
            }
            if (parts.size() != 3) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "sink.column-types: '"
                                + e.getKey()
                                + "' is not a target column; write schema.table.column (the"
                                + " target's names, double-quoted where they hold a dot), for"
                                + " example public.orders.note: varchar(200)");
            }
            String type = e.getValue() == null ? "" : e.getValue().strip();
            if (type.isEmpty()) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "sink.column-types: '" + e.getKey() + "' needs a type, such as text");
            }
            byTable.computeIfAbsent(
                            TableId.of(parts.get(0), parts.get(1)), t -> new LinkedHashMap<>())
                    .put(parts.get(2), type);
        }
        return new ColumnTypes(byTable);
    }

    /** The overrides of one target table: column name to type; empty when it has none. */
    public Map<String, String> forTable(TableId target) {
        return byTable.getOrDefault(target, Map.of());
    }

    /** Whether there are no overrides at all. */
    public boolean isEmpty() {
        return byTable.isEmpty();
    }
}
