package io.siphon.engine;

import io.siphon.engine.spec.PipelineGraph;
import java.util.List;

/**
 * One run of a pipeline graph: a {@link PipelineRun} per flow (path from a source to a sink), each
 * with its own stream position, snapshot chunks, exactly-once records at the target and progress.
 *
 * @param graph the graph
 * @param runs the run of each flow, in the order of {@link PipelineGraph#flows()}
 */
public record GraphRun(PipelineGraph graph, List<PipelineRun> runs) {

    /** Copies the list. */
    public GraphRun {
        runs = List.copyOf(runs);
    }

    /** Asks every flow to stop cleanly and returns at once. */
    public void stop() {
        runs.forEach(PipelineRun::stop);
    }

    /** Blocks until every flow has ended and returns how each ended, in flow order. */
    public List<RunResult> await() {
        return runs.stream().map(PipelineRun::await).toList();
    }
}
