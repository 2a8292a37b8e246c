package io.siphon.spi;

import io.siphon.model.Offset;
import io.siphon.model.TableId;
import java.util.Objects;

/**
 * Where the rows of a snapshot chunk come from, for sinks that say it with each row ({@link
 * SinkWriter#write(io.siphon.model.TableSchema, java.util.List, WriteMode, SnapshotOrigin)}).
 *
 * @param table the source table
 * @param position the source position the snapshot shows the table at: the position the change
 *     stream starts from when the snapshot hands over to it; null when not known (a snapshot
 *     resumed after a restart, or a snapshot-only run)
 */
public record SnapshotOrigin(TableId table, Offset position) {

    /** Checks the table. */
    public SnapshotOrigin {
        Objects.requireNonNull(table, "table");
    }
}
