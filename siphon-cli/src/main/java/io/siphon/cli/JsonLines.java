package io.siphon.cli;

import io.siphon.engine.RunResult;
import io.siphon.engine.ValidationReport;
import io.siphon.spi.ColumnTypes;
import io.siphon.spi.SiphonException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code --json} prints besides progress: one JSON object per line, tables and durations in
 * the shape of the status files and the server's API.
 */
final class JsonLines {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonLines() {}

    /** {@code {"event":"ended","pipeline":...,"status":...,"tables":[...],"error":...}}. */
    static void result(PrintWriter out, RunResult result) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "ended");
        line.put("pipeline", result.pipeline());
        line.put("status", result.status());
        line.put("rowsWritten", result.rowsWritten());
        line.put("elapsed", result.elapsed());
        line.put("tables", result.tables());
        line.put("error", error(result.error()));
        print(out, line);
    }

    /**
     * The report of {@code siphon validate} as one object; a flow whose target has {@code
     * column-types} overrides lists them (column to type).
     */
    static void validation(PrintWriter out, ValidationReport report, ColumnTypes columnTypes) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("pipeline", report.pipeline());
        line.put("ok", report.ok());
        line.put("problems", report.problems());
        line.put("tables", report.tables());
        line.put("unstreamable", report.unstreamable());
        line.put("warnings", report.warnings());
        line.put(
                "flows",
                report.flows().stream()
                        .map(
                                f -> {
                                    Map<String, Object> flow = new LinkedHashMap<>();
                                    flow.put("source", f.source().toString());
                                    flow.put("target", f.target().toString());
                                    flow.put("columns", ValidateCommand.describe(f.output()));
                                    Map<String, String> overrides =
                                            columnTypes.forTable(f.target());
                                    if (!overrides.isEmpty()) {
                                        flow.put("column-types", overrides);
                                    }
                                    return flow;
                                })
                        .toList());
        print(out, line);
    }

    private static Map<String, Object> error(SiphonException e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        return error;
    }

    private static void print(PrintWriter out, Map<String, Object> line) {
        out.println(JSON.writeValueAsString(line));
        out.flush();
    }
}
