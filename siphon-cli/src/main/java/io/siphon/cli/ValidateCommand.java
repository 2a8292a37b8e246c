package io.siphon.cli;

import io.siphon.cli.terminal.Units;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.TableFlow;
import io.siphon.engine.ValidationReport;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ColumnTypes;
import io.siphon.spi.Problem;
import io.siphon.spi.UnstreamableTable;
import io.siphon.transforms.TypeNames;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code siphon validate pipeline.yaml}: checks a pipeline and both connections; moves no data. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = SiphonVersion.class,
        description = {
            "Checks a pipeline and both connections, without moving data.",
            "Checks the spec, both connections (reachable, credentials, privileges, settings)"
                    + " and the tables the pipeline would take; prints every problem with its"
                    + " fix, or OK and the tables."
        })
final class ValidateCommand implements Callable<Integer> {

    /** More table names than this would bury the verdict, so the rest are counted. */
    private static final int MAX_TABLES_LISTED = 20;

    @Mixin private PipelineOptions options;

    @Option(
            names = "--json",
            description =
                    "Print the report as one JSON object (pipeline, ok, problems with code,"
                            + " message and fix, tables, unstreamable tables, flows: each table's"
                            + " target, columns after the transforms and column-types) for scripts")
    private boolean json;

    @Spec private CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        PipelineSpec spec = options.load();
        ValidationReport report;
        try (SiphonEngine engine = SiphonEngine.start(options.stateDir)) {
            report = engine.validate(spec);
        }
        if (json) {
            JsonLines.validation(out, report, ColumnTypes.of(spec.sink().config()));
            return report.ok() ? SiphonCli.EXIT_OK : SiphonCli.EXIT_FAILED;
        }
        if (!report.ok()) {
            for (Problem problem : report.problems()) {
                ErrorReport.print(err, problem);
            }
            err.println(
                    Units.plural(report.problems().size(), "problem") + " in " + options.pipeline);
            return SiphonCli.EXIT_FAILED;
        }
        List<TableId> tables = report.tables();
        ColumnTypes columnTypes = ColumnTypes.of(spec.sink().config());
        out.println("OK: " + Units.plural(tables.size(), "table"));
        java.util.Set<TableId> unstreamable =
                report.unstreamable().stream()
                        .map(UnstreamableTable::table)
                        .collect(java.util.stream.Collectors.toSet());
        Map<TableId, TableFlow> flows = new java.util.HashMap<>();
        report.flows().forEach(f -> flows.put(f.source(), f));
        for (TableId table : tables.subList(0, Math.min(tables.size(), MAX_TABLES_LISTED))) {
            TableFlow flow = flows.get(table);
            TableId target = flow == null ? spec.sink().targetOf(table) : flow.target();
            out.println(
                    "  "
                            + table
                            + (target.equals(table) ? "" : " -> " + target)
                            + (unstreamable.contains(table)
                                    ? "  (left out until fixed, below)"
                                    : ""));
            if (flow != null && !spec.transforms().isEmpty()) {
                out.println("      " + describe(flow.output()));
            }
            if (flow != null) {
                String overrides = describeOverrides(flow, columnTypes.forTable(target));
                if (!overrides.isEmpty()) {
                    out.println("      column-types: " + overrides);
                }
            }
        }
        if (tables.size() > MAX_TABLES_LISTED) {
            out.println("  ... and " + (tables.size() - MAX_TABLES_LISTED) + " more");
        }
        for (UnstreamableTable u : report.unstreamable()) {
            out.println(
                    "warning: Table "
                            + u.table()
                            + " "
                            + u.reason()
                            + "; the pipeline leaves it out until then and streams the others");
            out.println("  fix: " + u.fix());
        }
        for (Problem warning : report.warnings()) {
            out.println("warning: " + warning.message());
            out.println("  fix: " + warning.fix());
        }
        return SiphonCli.EXIT_OK;
    }

    /**
     * The columns whose target type the spec chooses, each with the type it replaces: {@code note
     * varchar(200) instead of string}.
     */
    static String describeOverrides(TableFlow flow, Map<String, String> overrides) {
        return flow.output().columns().stream()
                .filter(c -> overrides.containsKey(c.name()))
                .map(
                        c ->
                                c.name()
                                        + " "
                                        + overrides.get(c.name())
                                        + " instead of "
                                        + TypeNames.name(c.type()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * A table's columns after the transforms, as the target gets them: {@code id int32 key, email
     * varchar(64), total_cents int64 null}.
     */
    static String describe(TableSchema schema) {
        return schema.columns().stream()
                .map(
                        c ->
                                c.name()
                                        + " "
                                        + TypeNames.name(c.type())
                                        + (schema.primaryKey().contains(c.name()) ? " key" : "")
                                        + (c.nullable() ? " null" : ""))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
