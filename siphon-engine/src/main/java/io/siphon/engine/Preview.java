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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs one flow of a pipeline over the first rows of one source table without writing anything: the
 * rows leaving each node, for {@code siphon preview} and the server's preview endpoint. Reads the
 * table's first snapshot chunk at a consistent point, at most {@code limit} rows; connects to the
 * source only.
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
     * The rows of each node of a flow on its path, source first, sink last.
     *
     * @param table the source table, {@code schema.table} or the table's name alone when that is
     *     unambiguous among the pipeline's tables
     * @param limit how many rows to read, 1 to {@link #MAX_ROWS}
     * @throws SiphonException {@link ErrorCode#TABLE_NOT_FOUND} when the table is not one of the
     *     pipeline's, {@link ErrorCode#CONFIG_INVALID_VALUE} for a limit out of range, what the
     *     source or an operator fails with otherwise (naming the node)
     */
    public static List<NodeRows> run(
            PipelineGraph graph, PipelineGraph.Flow flow, String table, int limit) {
        if (limit < 1 || limit > MAX_ROWS) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "limit is " + limit + " but must be 1 to " + MAX_ROWS);
        }
        PipelineSpec spec = flow.spec();
        Map<String, GraphNode> nodes =
                graph.nodes().stream()
                        .collect(Collectors.toMap(GraphNode::id, Function.identity()));
        try (Connector source =
                ConnectorRegistry.installed()
                        .create(spec.source().type(), spec.source().config())) {
            TableSchema schema =
                    find(source.discover(Validation.tableFilter(spec.source().config())), table);
            List<TransformChain.Step> steps =
                    TransformRegistry.installed().steps(spec.transforms());
            TransformChain full = TransformChain.bind(steps, schema);
            TableId target = Chains.of(spec.transforms(), spec.sink()).targetOf(full);
            List<Row> rows = read(source, schema, limit);
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
                    TableSchema same = current;
                    List<Row> last = out.get(out.size() - 1).rows();
                    out.add(new NodeRows(id, nodes.get(id).kind(), same, last));
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
