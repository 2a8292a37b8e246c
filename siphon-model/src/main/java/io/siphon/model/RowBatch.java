package io.siphon.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Rows of one table that travel together: the unit that flows between pipeline stages, so that
 * per-row overhead (queues, hand-offs, statements) is paid once per batch.
 *
 * @param table the table the rows belong to
 * @param rows the rows, in the column order of that table's schema
 */
public record RowBatch(TableId table, List<Row> rows) implements Serializable {

    /** Checks the table; the row list is taken as is (batches are built once and not changed). */
    public RowBatch {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rows, "rows");
    }

    /** The number of rows. */
    public int size() {
        return rows.size();
    }
}
