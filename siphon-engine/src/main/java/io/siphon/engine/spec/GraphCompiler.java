package io.siphon.engine.spec;

import io.siphon.engine.transform.TransformRegistry;
import io.siphon.spi.Config;
import io.siphon.spi.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks how a graph's nodes connect and compiles it into its flows: one linear pipeline per path
 * from a source to a sink. Every problem is reported with its line and its fix: an edge into a
 * source or out of a sink, a node with two inputs that is not a union, a node that leads nowhere, a
 * sink without input, a cycle, a source that reaches one sink twice.
 */
final class GraphCompiler {

    /**
     * The engine's settings of a pipeline, shared by all its flows.
     *
     * @param mode what to move
     * @param schemaChanges what to do with source schema changes
     * @param parallelism parallel readers and writers
     * @param chunkRows rows per snapshot chunk
     * @param batchRows rows per batch
     * @param flushInterval longest wait of a streamed change at a writer
     * @param checkpointInterval how often positions are stored
     * @param discoveryInterval how often new tables are looked for
     */
    record Settings(
            Mode mode,
            SchemaChangePolicy schemaChanges,
            int parallelism,
            int chunkRows,
            int batchRows,
            Duration flushInterval,
            Duration checkpointInterval,
            Duration discoveryInterval) {

        PipelineSpec spec(
                String name,
                SourceSpec source,
                SinkSpec sink,
                List<TransformSpec> transforms,
                boolean sharedTargets) {
            return new PipelineSpec(
                    name,
                    source,
                    sink,
                    mode,
                    schemaChanges,
                    parallelism,
                    chunkRows,
                    batchRows,
                    flushInterval,
                    checkpointInterval,
                    discoveryInterval,
                    transforms,
                    sharedTargets);
        }
    }

    private final TransformRegistry operators;
    private final PipelineSpecParser.Problems problems;

    GraphCompiler(TransformRegistry operators, PipelineSpecParser.Problems problems) {
        this.operators = operators;
        this.problems = problems;
    }

    /** The graph with its flows, or null after adding its problems. */
    PipelineGraph compile(String name, PipelineSpecParser.GraphParts parts, Settings settings) {
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        parts.nodes().forEach(n -> nodes.put(n.id(), n));
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        Map<String, List<String>> outputs = new LinkedHashMap<>();
        nodes.keySet()
                .forEach(
                        id -> {
                            inputs.put(id, new ArrayList<>());
                            outputs.put(id, new ArrayList<>());
                        });
        java.util.Set<GraphEdge> seen = new java.util.HashSet<>();
        for (int i = 0; i < parts.edges().size(); i++) {
            GraphEdge e = parts.edges().get(i);
            int line = parts.edgeLines().get(i);
            if (!seen.add(e)) {
                problem(line, "edge " + e + " is written twice; remove one");
            } else if (e.from().equals(e.to())) {
                problem(line, "edge " + e + " leads a node into itself; remove it");
            } else if (nodes.get(e.to()) instanceof GraphNode.Source) {
                problem(
                        line,
                        "edge "
                                + e
                                + " leads into source "
                                + e.to()
                                + ", which takes no input; reverse it or lead it to a sink");
            } else if (nodes.get(e.from()) instanceof GraphNode.Sink) {
                problem(
                        line,
                        "edge "
                                + e
                                + " leaves sink "
                                + e.from()
                                + ", where rows end; give the next node its own input");
            } else {
                outputs.get(e.from()).add(e.to());
                inputs.get(e.to()).add(e.from());
            }
        }
        boolean anySource = false;
        boolean anySink = false;
        for (GraphNode node : nodes.values()) {
            String id = node.id();
            int line = parts.nodeLines().get(id);
            List<String> in = inputs.get(id);
            List<String> out = outputs.get(id);
            switch (node) {
                case GraphNode.Source s -> {
                    anySource = true;
                    if (out.isEmpty()) {
                        leadsNowhere(line, node);
                    }
                }
                case GraphNode.Sink s -> {
                    anySink = true;
                    if (in.isEmpty()) {
                        problem(
                                line,
                                "sink "
                                        + id
                                        + " has no input; add an edge { from: <node>, to: "
                                        + id
                                        + " } or remove the node");
                    } else if (in.size() > 1) {
                        twoInputs(line, node, in);
                    }
                }
                case GraphNode.Operator o -> {
                    if (in.isEmpty()) {
                        noInput(line, node);
                    } else if (in.size() > 1) {
                        twoInputs(line, node, in);
                    }
                    if (out.isEmpty()) {
                        leadsNowhere(line, node);
                    }
                }
                case GraphNode.Union u -> {
                    if (in.size() < 2) {
                        problem(
                                line,
                                "union "
                                        + id
                                        + " has "
                                        + (in.isEmpty()
                                                ? "no input"
                                                : "one input (" + in.get(0) + ")")
                                        + " but merges two or more; add an edge { from: <node>, to: "
                                        + id
                                        + " } or remove the union");
                    }
                    if (out.isEmpty()) {
                        leadsNowhere(line, node);
                    }
                }
            }
        }
        if (!anySource) {
            problem(
                    parts.nodeLines().values().stream().findFirst().orElse(1),
                    "the graph has no source node; add one, for example { id: db1, source: {"
                            + " type: postgres, ... } }");
        }
        if (!anySink) {
            problem(
                    parts.nodeLines().values().stream().findFirst().orElse(1),
                    "the graph has no sink node; add one, for example { id: warehouse, sink: {"
                            + " type: postgres, ... } }");
        }
        List<String> cycle = cycle(nodes.keySet(), outputs);
        if (!cycle.isEmpty()) {
            problem(
                    parts.nodeLines().get(cycle.get(0)),
                    "the edges form a cycle, "
                            + String.join(" -> ", cycle)
                            + "; rows would go round for ever: remove one of these edges");
        }
        if (problems.any()) {
            return null;
        }
        return new PipelineGraph(
                name, parts.nodes(), parts.edges(), flows(name, nodes, outputs, parts, settings));
    }

    private List<PipelineGraph.Flow> flows(
            String name,
            Map<String, GraphNode> nodes,
            Map<String, List<String>> outputs,
            PipelineSpecParser.GraphParts parts,
            Settings settings) {
        List<List<String>> paths = new ArrayList<>();
        for (GraphNode node : nodes.values()) {
            if (node instanceof GraphNode.Source) {
                walk(List.of(node.id()), nodes, outputs, paths);
            }
        }
        Map<String, List<String>> pairs = new HashMap<>();
        Map<String, Integer> perSink = new HashMap<>();
        for (List<String> path : paths) {
            String pair = path.get(0) + " -> " + path.get(path.size() - 1);
            List<String> earlier = pairs.putIfAbsent(pair, path);
            if (earlier != null) {
                problem(
                        parts.nodeLines().get(path.get(0)),
                        "source "
                                + path.get(0)
                                + " reaches sink "
                                + path.get(path.size() - 1)
                                + " along two paths ("
                                + String.join(" -> ", earlier)
                                + " and "
                                + String.join(" -> ", path)
                                + "), so its rows would be written twice; keep one path, or"
                                + " use a filter that a row passes on one path only and two sinks");
            }
            perSink.merge(path.get(path.size() - 1), 1, Integer::sum);
        }
        List<PipelineGraph.Flow> flows = new ArrayList<>();
        for (List<String> path : paths) {
            String source = path.get(0);
            String sink = path.get(path.size() - 1);
            List<TransformSpec> steps = new ArrayList<>();
            for (String id : path.subList(1, path.size() - 1)) {
                switch (nodes.get(id)) {
                    case GraphNode.Operator o -> steps.add(o.transform());
                    case GraphNode.Union u -> {
                        if (u.sourceColumn() != null) {
                            steps.add(sourceColumn(u, source));
                        }
                    }
                    case GraphNode.Source s -> throw new IllegalStateException(id);
                    case GraphNode.Sink s -> throw new IllegalStateException(id);
                }
            }
            String flowName = paths.size() == 1 ? name : name + "." + source + "." + sink;
            flows.add(
                    new PipelineGraph.Flow(
                            source,
                            sink,
                            path,
                            settings.spec(
                                    flowName,
                                    ((GraphNode.Source) nodes.get(source)).source(),
                                    ((GraphNode.Sink) nodes.get(sink)).sink(),
                                    steps,
                                    perSink.get(sink) > 1)));
        }
        return flows;
    }

    /**
     * A union's source column as a step of one flow: a {@code route} that keeps every name and adds
     * the column, holding the flow's source node, to the key.
     */
    private TransformSpec sourceColumn(GraphNode.Union union, String source) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("target", "{schema}.{table}");
        raw.put("source-column", union.sourceColumn());
        raw.put("source-value", source);
        return new TransformSpec(
                union.id(), "route", Config.of(raw, operators.factory("route").options(), "union"));
    }

    private static void walk(
            List<String> path,
            Map<String, GraphNode> nodes,
            Map<String, List<String>> outputs,
            List<List<String>> paths) {
        String last = path.get(path.size() - 1);
        if (nodes.get(last) instanceof GraphNode.Sink) {
            paths.add(path);
            return;
        }
        for (String next : outputs.get(last)) {
            List<String> longer = new ArrayList<>(path);
            longer.add(next);
            walk(longer, nodes, outputs, paths);
        }
    }

    /** A cycle as the ids along it, first repeated last; empty when there is none. */
    private static List<String> cycle(
            java.util.Set<String> ids, Map<String, List<String>> outputs) {
        Map<String, Integer> state = new HashMap<>();
        for (String id : ids) {
            List<String> stack = new ArrayList<>();
            List<String> found = visit(id, outputs, state, stack);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(
            String id,
            Map<String, List<String>> outputs,
            Map<String, Integer> state,
            List<String> stack) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(id), stack.size()));
            cycle.add(id);
            return cycle;
        }
        state.put(id, 1);
        stack.add(id);
        for (String next : outputs.get(id)) {
            List<String> found = visit(next, outputs, state, stack);
            if (!found.isEmpty()) {
                return found;
            }
        }
        stack.remove(stack.size() - 1);
        state.put(id, 2);
        return List.of();
    }

    private void noInput(int line, GraphNode node) {
        problem(
                line,
                node.kind()
                        + " node "
                        + node.id()
                        + " has no input; add an edge { from: <node>, to: "
                        + node.id()
                        + " } or remove the node");
    }

    private void leadsNowhere(int line, GraphNode node) {
        problem(
                line,
                node.kind()
                        + " node "
                        + node.id()
                        + " leads nowhere; add an edge { from: "
                        + node.id()
                        + ", to: <node> } towards a sink, or remove the node");
    }

    private void twoInputs(int line, GraphNode node, List<String> in) {
        problem(
                line,
                node.kind()
                        + " node "
                        + node.id()
                        + " has "
                        + in.size()
                        + " inputs ("
                        + String.join(", ", in)
                        + ") but only a union merges rows; add { id: merged, union: {} } with an"
                        + " edge from each of them, and an edge { from: merged, to: "
                        + node.id()
                        + " }");
    }

    private void problem(int line, String message) {
        problems.add(line, ErrorCode.CONFIG_INVALID_VALUE, message);
    }
}
