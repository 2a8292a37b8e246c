package io.siphon.engine;

import io.siphon.engine.spec.GraphNode;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.transform.TransformChain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What leaves one node of a pipeline graph: the schema of each table's rows there. A source gives
 * its tables as they are, an operator its output (a table it does not act on passes unchanged), a
 * sink the target tables as they are created. What {@code siphon validate} prints per node and the
 * server's validate answer carries for the UI.
 *
 * @param node the node's id ({@code source}, {@code #1}..., {@code sink} in the linear form)
 * @param kind {@code source}, {@code sink}, {@code union} or the operator's type
 * @param tables the schema of each table leaving the node, under its name there
 */
public record NodeOutput(String node, String kind, List<TableSchema> tables) {

    /** Copies the list. */
    public NodeOutput {
        tables = List.copyOf(tables);
    }

    /**
     * Each node's output, in the order of the graph's nodes, from the validation of each of its
     * flows (in flow order). A table whose chain does not bind is left out (its problem is in the
     * report).
     */
    public static List<NodeOutput> of(PipelineGraph graph, List<ValidationReport> reports) {
        return ofFlows(graph, reports.stream().map(ValidationReport::flows).toList());
    }

    /** As {@link #of}, from each flow's tables (in flow order). */
    static List<NodeOutput> ofFlows(PipelineGraph graph, List<List<TableFlow>> flows) {
        Map<String, Map<TableId, TableSchema>> out = new LinkedHashMap<>();
        graph.nodes().forEach(n -> out.put(n.id(), new LinkedHashMap<>()));
        for (int f = 0; f < graph.flows().size(); f++) {
            PipelineGraph.Flow flow = graph.flows().get(f);
            for (TableFlow table : flows.get(f)) {
                Map<String, TableSchema> after = new LinkedHashMap<>();
                for (TransformChain.StepSchema step : table.steps()) {
                    after.put(step.step(), step.schema());
                }
                TableSchema current = table.input();
                for (String node : flow.path()) {
                    if (node.equals(flow.sink())) {
                        current = table.output().withId(table.target());
                    } else {
                        current = after.getOrDefault(node, current);
                    }
                    out.get(node).putIfAbsent(current.id(), current);
                }
            }
        }
        List<NodeOutput> nodes = new ArrayList<>();
        for (GraphNode n : graph.nodes()) {
            nodes.add(new NodeOutput(n.id(), n.kind(), List.copyOf(out.get(n.id()).values())));
        }
        return nodes;
    }
}
