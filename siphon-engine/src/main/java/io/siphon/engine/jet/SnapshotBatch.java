package io.siphon.engine.jet;

import io.siphon.model.Row;
import io.siphon.spi.SnapshotSplit;
import java.io.Serializable;
import java.util.List;

/**
 * What flows from snapshot readers to sink writers: rows of one chunk, and after its last rows an
 * empty batch marked {@code last}, on which the writer flushes and records the chunk as done. Every
 * batch of a chunk goes to the same writer, in order (the edge is partitioned by chunk).
 *
 * @param split the chunk
 * @param rows rows in the source table's column order; empty for the end marker
 * @param last whether this is the chunk's end marker
 */
record SnapshotBatch(SnapshotSplit split, List<Row> rows, boolean last) implements Serializable {

    /** The edge partitioning key: the chunk. */
    static String chunkKey(SnapshotBatch batch) {
        return batch.split().id();
    }
}
