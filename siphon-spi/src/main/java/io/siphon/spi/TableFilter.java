package io.siphon.spi;

import io.siphon.model.TableId;
import java.io.Serializable;
import java.util.List;

/**
 * Which tables a pipeline takes: those matching any include pattern and no exclude pattern.
 *
 * @param include patterns of tables to take; at least one
 * @param exclude patterns of tables to leave out
 */
public record TableFilter(List<TablePattern> include, List<TablePattern> exclude)
        implements Serializable {

    /** Copies the lists. */
    public TableFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** Parses pattern texts (see {@link TablePattern}). */
    public static TableFilter of(List<String> include, List<String> exclude) {
        return new TableFilter(
                include.stream().map(TablePattern::parse).toList(),
                exclude.stream().map(TablePattern::parse).toList());
    }

    /**
     * Whether a table is taken.
     *
     * @param defaultSchema the connector's default schema, for patterns without a schema part
     */
    public boolean matches(TableId id, String defaultSchema) {
        return include.stream().anyMatch(p -> p.matches(id, defaultSchema))
                && exclude.stream().noneMatch(p -> p.matches(id, defaultSchema));
    }
}
