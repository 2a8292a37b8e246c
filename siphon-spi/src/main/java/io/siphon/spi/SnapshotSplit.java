package io.siphon.spi;

import io.siphon.model.TableId;
import java.io.Serializable;
import java.util.Objects;

/**
 * One chunk of a table's snapshot: a range that one reader reads in one go. Splits are planned once
 * per table and stored by the engine, so that after a crash only unfinished splits are read again,
 * with exactly the same boundaries.
 *
 * @param table the table
 * @param index the split's number within its table, from 0
 * @param kind how the bounds are to be read, owned by the connector (for example {@code pk} or
 *     {@code ctid})
 * @param lower the inclusive lower bound, encoded by the connector; null for unbounded
 * @param upper the exclusive upper bound, encoded by the connector; null for unbounded
 * @param estimatedRows the planner's estimate of the rows in the split, for progress
 */
public record SnapshotSplit(
        TableId table, int index, String kind, String lower, String upper, long estimatedRows)
        implements Serializable {

    /** Checks the table and kind. */
    public SnapshotSplit {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
    }

    /** {@code table#index}, unique within a pipeline. */
    public String id() {
        return table + "#" + index;
    }
}
