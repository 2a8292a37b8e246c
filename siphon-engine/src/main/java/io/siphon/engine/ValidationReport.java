package io.siphon.engine;

import io.siphon.model.TableId;
import io.siphon.spi.Problem;
import java.util.List;

/**
 * What {@link SiphonEngine#validate} found.
 *
 * @param pipeline the pipeline
 * @param problems every problem, each with its fix; empty when the pipeline can run
 * @param tables the source tables the pipeline would take
 */
public record ValidationReport(String pipeline, List<Problem> problems, List<TableId> tables) {

    /** Copies the lists. */
    public ValidationReport {
        problems = List.copyOf(problems);
        tables = List.copyOf(tables);
    }

    /** Whether the pipeline can run. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
