package io.siphon.engine.jet;

import io.siphon.model.ChangeEvent;
import io.siphon.model.TableId;
import java.io.Serializable;
import java.util.List;

/**
 * Changes into one target table in source order, as they flow from the stream reader to the writer
 * that owns the target. The edge is partitioned by target, so one writer sees all changes into a
 * target in stream order, schema changes included, even when several source tables are routed into
 * it: its exactly-once position (the place of the last change applied, per target) then only ever
 * grows, and no two writers race on the target's rows or DDL.
 *
 * @param table the target table
 * @param events data, truncate and schema changes of the source tables routed into it, each naming
 *     its source table, in stream order
 * @param caughtUp whether the poll that read these changes found the stream caught up with the
 *     source (nothing more there to read, and its newest change committed moments ago): a writer
 *     then commits as soon as it has nothing else queued, rather than after the flush interval,
 *     while a stream that is behind gathers larger commits
 */
record ChangeBatch(TableId table, List<ChangeEvent> events, boolean caughtUp)
        implements Serializable {

    /** The edge partitioning key: the target table. */
    static String tableKey(ChangeBatch batch) {
        return batch.table().toString();
    }
}
