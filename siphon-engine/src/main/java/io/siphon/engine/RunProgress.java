package io.siphon.engine;

import java.time.Duration;
import java.util.List;

/**
 * A consistent picture of a run at one moment.
 *
 * @param pipeline the pipeline
 * @param phase where the run is
 * @param tables progress per table, by source table name
 * @param elapsed time since the run started
 * @param stream where the change stream is; null for snapshot-only pipelines
 */
public record RunProgress(
        String pipeline,
        RunPhase phase,
        List<TableProgress> tables,
        Duration elapsed,
        StreamProgress stream) {

    /** Copies the list. */
    public RunProgress {
        tables = List.copyOf(tables);
    }

    /** Rows written over all tables. */
    public long rowsWritten() {
        return tables.stream().mapToLong(TableProgress::rowsWritten).sum();
    }
}
