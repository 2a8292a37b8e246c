package io.siphon.engine.jet;

import io.siphon.model.ChangeEvent;
import io.siphon.model.TableId;
import java.io.Serializable;
import java.util.List;

/**
 * Changes of one table in source order, as they flow from the stream reader to the writer that owns
 * the table. The edge is partitioned by table, so one writer sees all of a table's changes in
 * order, schema changes included.
 *
 * @param table the source table
 * @param events data, truncate and schema changes of that table
 */
record ChangeBatch(TableId table, List<ChangeEvent> events) implements Serializable {

    /** The edge partitioning key: the table. */
    static String tableKey(ChangeBatch batch) {
        return batch.table().toString();
    }
}
