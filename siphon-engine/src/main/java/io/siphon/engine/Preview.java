package io.siphon.engine;

import io.siphon.engine.spec.GraphNode;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.transform.Chains;
import io.siphon.engine.transform.TransformRegistry;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.transform.TransformChain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs a pipeline's flows over the first rows of one source table without writing anything: the
 * rows leaving each node, for {@code siphon preview} and the server's preview endpoint. Reads the
 * table's first snapshot chunk at a consistent point, at most {@code limit} rows, once per source
 * node; connects to the sources only.
 */
public final class Preview {

    /** The most rows a preview reads. */
    public static final int MAX_ROWS = 1_000;

    /** The chunk a preview plans: large enough that planning a big table stays cheap. */
    private static final int CHUNK_ROWS = 100_000;

    /**
     * The rows leaving one node.
     *
     * @param node the node's id
     * @param kind {@code source}, {@code sink}, {@code union} or the operator's type
     * @param schema the rows' schema there (for the sink: the target table's)
     * @param rows the rows, in the order read
     */
    public record NodeRows(String node, String kind, TableSchema schema, List<Row> rows) {
        /** Copies the list. */
        public NodeRows {
            rows = List.copyOf(rows);
        }
    }

    private Preview() {}

    /**
     * The rows leaving each node of one flow.
     *
     * @param flow the flow's name: the pipeline's, or {@code <pipeline>.<source>.<sink>} in a graph
     *     of several flows
     * @param source the flow's source node
     * @param sink the flow's sink node
     * @param nodes the rows leaving each node on the flow's path, source first, sink last
     */
    public record FlowRows(String flow, String source, String sink, List<NodeRows> nodes) {
        /** Copies the list. */
        public FlowRows {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * The rows of each node of every flow that reads {@code table}, on its path, source first, sink
     * last. Each source node's table is read once, however many flows leave it.
     *
     * @param source the source node whose table to read, or null for every source that has it
     * @param sink the sink node whose flows to run, or null for all
     * @param table the source table, {@code schema.table} or the table's name alone when that is
     *     unambiguous among the source's tables
     * @param limit how many rows to read, 1 to {@link #MAX_ROWS}
     * @throws SiphonException {@link ErrorCode#TABLE_NOT_FOUND} when no chosen source has the
     *     table, {@link ErrorCode#CONFIG_INVALID_VALUE} for a limit out of range or a node that is
     *     no source or sink of the graph, what the source or an operator fails with otherwise
     *     (naming the node)
     */
    public static List<FlowRows> run(
            PipelineGraph graph, String source, String sink, String table, int limit) {
        if (limit < 1 || limit > MAX_ROWS) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "limit is " + limit + " but must be 1 to " + MAX_ROWS);
        }
        requireEnd(graph, source, PipelineGraph.Flow::source, "source");
        requireEnd(graph, sink, PipelineGraph.Flow::sink, "sink");
        Map<String, List<PipelineGraph.Flow>> bySource = new LinkedHashMap<>();
        for (PipelineGraph.Flow flow : graph.flows()) {
            if ((source == null || flow.source().equals(source))
                    && (sink == null || flow.sink().equals(sink))) {
                bySource.computeIfAbsent(flow.source(), s -> new ArrayList<>()).add(flow);
            }
        }
        if (bySource.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "source " + source + " does not reach sink " + sink + "; choose another pair");
        }
        List<FlowRows> out = new ArrayList<>();
        SiphonException notFound = null;
        for (List<PipelineGraph.Flow> flows : bySource.values()) {
            try {
                out.addAll(fromOneSource(graph, flows, table, limit));
            } catch (SiphonException e) {
                // Another source of the graph may have the table.
                if (e.code() != ErrorCode.TABLE_NOT_FOUND || bySource.size() == 1) {
                    throw e;
                }
                notFound = e;
            }
        }
        if (out.isEmpty()) {
            throw notFound;
        }
        return out;
    }

    /**
     * The rows leaving each node of the graph over the flows previewed, each node once in the order
     * first met: a node on several flows of one source (a fan-out's source and shared operators)
     * has the same rows on each, and a node that flows from several sources reach (a union and what
     * follows it) gets the rows of each source, as at run time.
     */
    public static List<NodeRows> byNode(List<FlowRows> flows) {
        Map<String, NodeRows> nodes = new LinkedHashMap<>();
        Map<String, Set<String>> sources = new HashMap<>();
        for (FlowRows flow : flows) {
            for (NodeRows node : flow.nodes()) {
                if (!sources.computeIfAbsent(node.node(), n -> new HashSet<>())
                        .add(flow.source())) {
                    continue;
                }
                nodes.merge(
                        node.node(),
                        node,
                        (was, more) -> {
                            List<Row> rows = new ArrayList<>(was.rows());
                            rows.addAll(more.rows());
                            return new NodeRows(was.node(), was.kind(), was.schema(), rows);
                        });
            }
        }
        return List.copyOf(nodes.values());
    }

    private static void requireEnd(
            PipelineGraph graph, String id, Function<PipelineGraph.Flow, String> end, String what) {
        if (id == null) {
            return;
        }
        List<String> ends = graph.flows().stream().map(end).distinct().toList();
        if (!ends.contains(id)) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    what
                            + " "
                            + id
                            + " is not a "
                            + what
                            + " node of the pipeline; name one of "
                            + String.join(", ", ends));
        }
    }

    /** Reads the table once from the flows' common source and runs each flow over its rows. */
    private static List<FlowRows> fromOneSource(
            PipelineGraph graph, List<PipelineGraph.Flow> flows, String table, int limit) {
        PipelineSpec first = flows.get(0).spec();
        try (Connector source =
                ConnectorRegistry.installed()
                        .create(first.source().type(), first.source().config())) {
            TableSchema schema =
                    find(source.discover(Validation.tableFilter(first.source().config())), table);
            List<Row> rows = read(source, schema, limit);
            List<FlowRows> out = new ArrayList<>();
            for (PipelineGraph.Flow flow : flows) {
                out.add(
                        new FlowRows(
                                flow.spec().name(),
                                flow.source(),
                                flow.sink(),
                                nodes(graph, flow, schema, rows)));
            }
            return out;
        }
    }

    private static List<NodeRows> nodes(
            PipelineGraph graph, PipelineGraph.Flow flow, TableSchema schema, List<Row> rows) {
        PipelineSpec spec = flow.spec();
        Map<String, GraphNode> nodes =
                graph.nodes().stream()
                        .collect(Collectors.toMap(GraphNode::id, Function.identity()));
        List<TransformChain.Step> steps = TransformRegistry.installed().steps(spec.transforms());
        TransformChain full = TransformChain.bind(steps, schema);
        TableId target = Chains.of(spec.transforms(), spec.sink()).targetOf(full);
        List<NodeRows> out = new ArrayList<>();
        out.add(new NodeRows(flow.source(), "source", schema, rows));
        TableSchema current = schema;
        for (String id : flow.path().subList(1, flow.path().size() - 1)) {
            int step = indexOf(steps, id);
            if (step >= 0) {
                TransformChain prefix = TransformChain.bind(steps.subList(0, step + 1), schema);
                List<Row> through = new ArrayList<>();
                rows.forEach(r -> prefix.row(r, through::add));
                current = prefix.outputSchema();
                out.add(new NodeRows(id, nodes.get(id).kind(), current, through));
            } else {
                // A union without a source column passes rows as they are.
                List<Row> last = out.get(out.size() - 1).rows();
                out.add(new NodeRows(id, nodes.get(id).kind(), current, last));
            }
        }
        out.add(
                new NodeRows(
                        flow.sink(),
                        "sink",
                        full.outputSchema().withId(target),
                        out.get(out.size() - 1).rows()));
        return out;
    }

    private static int indexOf(List<TransformChain.Step> steps, String name) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static TableSchema find(List<TableSchema> tables, String name) {
        List<TableSchema> matches =
                tables.stream()
                        .filter(t -> t.id().equals(TableId.parse(name, t.id().schema())))
                        .toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> names = tables.stream().map(t -> t.id().toString()).sorted().toList();
        if (matches.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.TABLE_NOT_FOUND,
                    "table "
                            + name
                            + " is not one of the pipeline's tables; name one of "
                            + (names.size() > 20
                                    ? String.join(", ", names.subList(0, 20)) + ", ..."
                                    : String.join(", ", names)));
        }
        throw new SiphonException(
                ErrorCode.CONFIG_INVALID_VALUE,
                "table "
                        + name
                        + " names "
                        + matches.stream().map(t -> t.id().toString()).toList()
                        + "; name one as schema.table");
    }

    private static List<Row> read(Connector source, TableSchema schema, int limit) {
        List<Row> rows = new ArrayList<>();
        try (ReadPoint point = source.snapshotSource().openReadPoint()) {
            for (SnapshotSplit split :
                    source.snapshotSource().planSplits(schema, Math.max(limit, CHUNK_ROWS))) {
                try (SplitReader reader =
                        source.snapshotSource().openSplit(schema, split, point.token(), limit)) {
                    for (RowBatch b = reader.next(); b != null; b = reader.next()) {
                        for (Row r : b.rows()) {
                            rows.add(r);
                            if (rows.size() == limit) {
                                return rows;
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }
}
