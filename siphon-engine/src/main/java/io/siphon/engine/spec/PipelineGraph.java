package io.siphon.engine.spec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pipeline as a graph of nodes and edges, checked: what {@link PipelineSpecParser#parseGraph}
 * returns for both forms of the spec. The linear form ({@code source}, {@code transforms}, {@code
 * sink}) is the chain {@code source -> #1 -> ... -> sink}.
 *
 * <p>A graph runs as its {@linkplain #flows() flows}: one per path from a source node to a sink
 * node, each a linear pipeline with the operators on its path. A flow has its own stream position,
 * snapshot chunks, exactly-once records at its target and status, so each source resumes from its
 * own position after a crash and each sink skips what it already applied. A fan-out (one source,
 * two sinks) is two flows that read the source each; a union (two sources, one sink) is two flows
 * that write the same target tables.
 *
 * @param name the pipeline's name
 * @param nodes the nodes, in the order written
 * @param edges the edges, in the order written
 * @param flows the paths from a source to a sink, as linear pipelines; a graph with one path (the
 *     linear form among them) has one flow named like the pipeline, more are named {@code
 *     <pipeline>.<source>.<sink>}
 */
public record PipelineGraph(
        String name, List<GraphNode> nodes, List<GraphEdge> edges, List<Flow> flows)
        implements Serializable {

    /** Copies the lists. */
    public PipelineGraph {
        Objects.requireNonNull(name, "name");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        flows = List.copyOf(flows);
    }

    /**
     * One path of the graph from a source node to a sink node, as a linear pipeline.
     *
     * @param source the source node's id
     * @param sink the sink node's id
     * @param path the ids of the nodes on the path, source first and sink last
     * @param spec the linear pipeline that runs the path; its transforms are named by their node's
     *     id
     */
    public record Flow(String source, String sink, List<String> path, PipelineSpec spec)
            implements Serializable {
        /** Copies the path. */
        public Flow {
            path = List.copyOf(path);
        }
    }

    /** The graph of a linear spec: {@code source -> #1 -> ... -> sink}, with one flow. */
    public static PipelineGraph linear(PipelineSpec spec) {
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphEdge> edges = new ArrayList<>();
        nodes.add(new GraphNode.Source("source", spec.source()));
        String previous = "source";
        for (TransformSpec t : spec.transforms()) {
            nodes.add(new GraphNode.Operator(t.name(), t));
            edges.add(new GraphEdge(previous, t.name()));
            previous = t.name();
        }
        nodes.add(new GraphNode.Sink("sink", spec.sink()));
        edges.add(new GraphEdge(previous, "sink"));
        List<String> path = new ArrayList<>();
        nodes.forEach(n -> path.add(n.id()));
        return new PipelineGraph(
                spec.name(), nodes, edges, List.of(new Flow("source", "sink", path, spec)));
    }

    /** Whether the graph is one path: it runs as one linear pipeline named like the graph. */
    public boolean single() {
        return flows.size() == 1;
    }

    /**
     * The one linear pipeline of a single-path graph.
     *
     * @throws io.siphon.spi.SiphonException {@link io.siphon.spi.ErrorCode#CONFIG_INVALID_VALUE}
     *     for a graph of several paths, naming them and what {@code what} needs instead
     */
    public PipelineSpec only(String what) {
        if (single()) {
            return flows.get(0).spec();
        }
        throw new io.siphon.spi.SiphonException(
                io.siphon.spi.ErrorCode.CONFIG_INVALID_VALUE,
                "pipeline "
                        + name
                        + " is a graph of "
                        + flows.size()
                        + " flows ("
                        + String.join(", ", flows.stream().map(f -> f.spec().name()).toList())
                        + ") but "
                        + what
                        + " takes a pipeline of one source and one sink; write one spec per flow");
    }
}
