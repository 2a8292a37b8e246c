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
    public static TableFilter of(List<String> include, List<String> exclude, String defaultSchema) {
        return new TableFilter(
                include.stream().map(p -> TablePattern.parse(p, defaultSchema)).toList(),
                exclude.stream().map(p -> TablePattern.parse(p, defaultSchema)).toList());
    }

    /** Whether a table is taken. */
    public boolean matches(TableId id) {
        return include.stream().anyMatch(p -> p.matches(id))
                && exclude.stream().noneMatch(p -> p.matches(id));
    }
}
