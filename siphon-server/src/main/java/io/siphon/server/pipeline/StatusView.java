package io.siphon.server.pipeline;

import io.siphon.engine.ResnapshotProgress;
import io.siphon.engine.RunProgress;
import io.siphon.engine.StreamProgress;
import io.siphon.engine.TableError;
import io.siphon.engine.TableProgress;
import java.util.List;
import java.util.Map;

/**
 * A pipeline's progress: its current run's, or its last run's when it is not running.
 *
 * @param name the pipeline
 * @param state where it is
 * @param phase the run's phase ({@code SNAPSHOTTING}, {@code STREAMING}, ...), or null if it never
 *     ran
 * @param elapsedMillis how long the (last) run has run
 * @param rowsWritten rows written over all tables
 * @param tables progress per table
 * @param stream where the change stream is; null for snapshot-only pipelines
 * @param lastError the error that stopped the last run, or null
 * @param flows each flow's progress: one, named like the pipeline, for a pipeline of one source and
 *     one sink; one per path from a source node to a sink node for a graph, named {@code
 *     <pipeline>.<source>.<sink>}, whose progress the fields above add up (tables of every flow,
 *     the phase of the least advanced, no stream)
 */
public record StatusView(
        String name,
        PipelineState state,
        String phase,
        long elapsedMillis,
        long rowsWritten,
        List<TableStatus> tables,
        StreamProgress stream,
        ErrorView lastError,
        List<FlowStatus> flows) {

    /** Copies the list. */
    public StatusView {
        flows = List.copyOf(flows);
    }

    /**
     * One flow's progress.
     *
     * @param name the flow: the pipeline's name, or {@code <pipeline>.<source>.<sink>}
     * @param source its source node's id; null when not known (a graph's only flow that ran)
     * @param sink its sink node's id; null when not known
     * @param state where it is
     * @param phase its run's phase, or null if it never ran
     * @param elapsedMillis how long its (last) run has run
     * @param rowsWritten rows it wrote over its tables
     * @param tables progress per table
     * @param stream where its change stream is; null for snapshot-only pipelines
     */
    public record FlowStatus(
            String name,
            String source,
            String sink,
            PipelineState state,
            String phase,
            long elapsedMillis,
            long rowsWritten,
            List<TableStatus> tables,
            StreamProgress stream) {

        static FlowStatus of(
                String name, String source, String sink, PipelineState state, RunProgress p) {
            if (p == null) {
                return new FlowStatus(name, source, sink, state, null, 0, 0, List.of(), null);
            }
            return new FlowStatus(
                    name,
                    source,
                    sink,
                    state,
                    p.phase().name(),
                    p.elapsed().toMillis(),
                    p.rowsWritten(),
                    p.tables().stream().map(TableStatus::of).toList(),
                    p.stream());
        }
    }

    /**
     * One table's progress.
     *
     * @param source the source table
     * @param target the target table
     * @param chunksTotal snapshot chunks planned
     * @param chunksDone snapshot chunks written
     * @param rowsEstimated the source's estimate of its rows
     * @param rowsWritten rows written
     * @param done whether its snapshot is complete
     * @param events change events by operation (insert, update, delete, truncate, schema)
     * @param resnapshot the copy of the table being made while the stream runs, or null
     * @param error the error that stopped the table in its run ({@code code}, {@code message}), or
     *     null
     */
    public record TableStatus(
            String source,
            String target,
            int chunksTotal,
            int chunksDone,
            long rowsEstimated,
            long rowsWritten,
            boolean done,
            Map<String, Long> events,
            ResnapshotProgress resnapshot,
            TableError error) {

        static TableStatus of(TableProgress t) {
            return new TableStatus(
                    t.source().toString(),
                    t.target().toString(),
                    t.chunksTotal(),
                    t.chunksDone(),
                    t.rowsEstimated(),
                    t.rowsWritten(),
                    t.done(),
                    t.events(),
                    t.resnapshot(),
                    t.error());
        }
    }

    static StatusView of(
            String name,
            PipelineState state,
            RunProgress progress,
            ErrorView lastError,
            List<FlowStatus> flows) {
        if (progress == null) {
            return new StatusView(name, state, null, 0, 0, List.of(), null, lastError, flows);
        }
        return new StatusView(
                name,
                state,
                progress.phase().name(),
                progress.elapsed().toMillis(),
                progress.rowsWritten(),
                progress.tables().stream().map(TableStatus::of).toList(),
                progress.stream(),
                lastError,
                flows);
    }
}
