package io.siphon.cli;

import io.siphon.engine.Preview;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siphon preview pipeline.yaml --table T --limit N}: runs the pipeline's transforms over the
 * first rows of a table and prints the rows leaving each node; writes nothing.
 */
@Command(
        name = "preview",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Runs a pipeline's transforms over the first rows of one source table and prints the"
                    + " rows leaving each node, source to sink; writes nothing and connects to"
                    + " the source only.",
            "In a graph, each flow whose source has the table is shown."
        })
final class PreviewCommand implements Callable<Integer> {

    @Mixin private PipelineOptions options;

    @Option(
            names = "--table",
            required = true,
            paramLabel = "TABLE",
            description = "The source table, as schema.table (or its name alone when unambiguous)")
    private String table;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "10",
            description = "How many rows to read, 1 to 1000 (default: ${DEFAULT-VALUE})")
    private int limit;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PipelineGraph graph = options.loadGraph();
        for (Preview.FlowRows flow : Preview.run(graph, null, null, table, limit)) {
            if (!graph.single()) {
                out.println("Flow " + flow.flow() + ":");
            }
            for (Preview.NodeRows node : flow.nodes()) {
                print(node, out);
            }
        }
        return SiphonCli.EXIT_OK;
    }

    /** A value as text: null as {@code null}, bytes in hex as PostgreSQL shows them. */
    private static String cell(Object value) {
        return switch (value) {
            case null -> "null";
            case byte[] bytes -> "\\x" + java.util.HexFormat.of().formatHex(bytes);
            default -> String.valueOf(value);
        };
    }

    private static void print(Preview.NodeRows node, PrintWriter out) {
        TableSchema schema = node.schema();
        out.println(
                node.node()
                        + " ("
                        + node.kind()
                        + "): "
                        + schema.id()
                        + ", "
                        + node.rows().size()
                        + (node.rows().size() == 1 ? " row" : " rows"));
        List<String> header = new ArrayList<>(schema.columnNames());
        out.println("  " + String.join(" | ", header));
        for (Row row : node.rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                cells.add(cell(row.get(i)));
            }
            out.println("  " + String.join(" | ", cells));
        }
    }
}
