package io.siphon.engine;

import io.siphon.model.TableId;
import java.time.Duration;

/**
 * Progress of one table in a run.
 *
 * @param source the source table
 * @param target the target table
 * @param chunksTotal planned chunks
 * @param chunksDone chunks durably written (including those done by earlier runs)
 * @param rowsEstimated the source's estimate of the table's rows
 * @param rowsWritten rows written so far (including earlier runs' done chunks)
 * @param resumed whether an earlier run had already finished some of its chunks
 * @param elapsed time spent on the table in this run
 * @param done whether every snapshot chunk is done (true at once for a stream-only run)
 * @param events change events read per operation (insert, update, delete, truncate, schema)
 * @param resnapshot the copy of the table being made while the stream runs, or null
 * @param error the error that stopped the table's reading or writing in this run, or null
 */
public record TableProgress(
        TableId source,
        TableId target,
        int chunksTotal,
        int chunksDone,
        long rowsEstimated,
        long rowsWritten,
        boolean resumed,
        Duration elapsed,
        boolean done,
        java.util.Map<String, Long> events,
        ResnapshotProgress resnapshot,
        TableError error) {

    /** Copies the map. */
    public TableProgress {
        events = java.util.Map.copyOf(events);
    }

    /** Whether the table failed in this run. */
    public boolean failed() {
        return error != null;
    }
}
