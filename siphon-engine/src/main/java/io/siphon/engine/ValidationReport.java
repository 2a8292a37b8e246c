package io.siphon.engine;

import io.siphon.model.TableId;
import io.siphon.spi.Problem;
import io.siphon.spi.UnstreamableTable;
import java.util.List;
import java.util.Map;

/**
 * What {@link SiphonEngine#validate} found.
 *
 * @param pipeline the pipeline
 * @param problems every problem, each with its fix; empty when the pipeline can run
 * @param tables the source tables the pipeline would take
 * @param unstreamable tables that match but that the stream cannot carry yet, each with its fix;
 *     the pipeline leaves them out until fixed (not a problem: the others run)
 * @param flows each table's target and its schema after the transforms, for the tables whose
 *     transforms fit them
 * @param warnings what the pipeline can run with but will not follow exactly (a generated column
 *     the target does not compute, see {@link io.siphon.spi.Sink#tableWarnings}), each with what to
 *     do about it
 * @param nodes what leaves each node of the pipeline ({@code source}, its transforms, {@code
 *     sink}): each table's schema there
 * @param ddl a dry run of what the sink would create, by target table: the statements of {@link
 *     io.siphon.spi.Sink#plannedStatements}; only when there are no problems, and none for a target
 *     that exists
 */
public record ValidationReport(
        String pipeline,
        List<Problem> problems,
        List<TableId> tables,
        List<UnstreamableTable> unstreamable,
        List<TableFlow> flows,
        List<Problem> warnings,
        List<NodeOutput> nodes,
        Map<TableId, List<String>> ddl) {

    /** Copies the lists. */
    public ValidationReport {
        problems = List.copyOf(problems);
        tables = List.copyOf(tables);
        unstreamable = List.copyOf(unstreamable);
        flows = List.copyOf(flows);
        warnings = List.copyOf(warnings);
        nodes = List.copyOf(nodes);
        ddl = Map.copyOf(ddl);
    }

    /** Whether the pipeline can run. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
