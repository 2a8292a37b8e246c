package io.siphon.engine.state;

import io.siphon.model.TableId;
import io.siphon.spi.SnapshotSplit;
import java.time.Instant;

/**
 * A planned snapshot chunk and what happened to it.
 *
 * @param pipeline the pipeline
 * @param split the chunk's range as planned
 * @param status pending or done
 * @param rowsWritten rows written for it (when done)
 * @param reads how many times a reader started it (more than one after a crash or retry)
 * @param doneInRun the run that finished it, or 0
 * @param finishedAt when it was finished, or null
 */
public record ChunkRecord(
        String pipeline,
        SnapshotSplit split,
        ChunkStatus status,
        long rowsWritten,
        int reads,
        long doneInRun,
        Instant finishedAt) {

    /** The chunk's table. */
    public TableId table() {
        return split.table();
    }

    /** The chunk's number within its table. */
    public int index() {
        return split.index();
    }
}
