package io.siphon.engine;

import io.siphon.spi.SiphonException;
import java.time.Duration;
import java.util.List;

/**
 * How a run ended.
 *
 * @param pipeline the pipeline
 * @param status completed, stopped or failed
 * @param tables final progress per table
 * @param elapsed the run's duration
 * @param error the error when it failed, otherwise null
 */
public record RunResult(
        String pipeline,
        RunStatus status,
        List<TableProgress> tables,
        Duration elapsed,
        SiphonException error) {

    /** Copies the list. */
    public RunResult {
        tables = List.copyOf(tables);
    }

    /** Rows written over all tables. */
    public long rowsWritten() {
        return tables.stream().mapToLong(TableProgress::rowsWritten).sum();
    }
}
