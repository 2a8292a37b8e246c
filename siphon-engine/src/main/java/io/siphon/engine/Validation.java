package io.siphon.engine;

import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.transform.Chains;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.ColumnTypes;
import io.siphon.spi.Config;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.NameSuggester;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.StandardOptions;
import io.siphon.spi.TableFilter;
import io.siphon.spi.TablePattern;
import io.siphon.spi.Usage;
import io.siphon.spi.transform.TransformChain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks both ends of a pipeline and finds its tables, collecting every problem. */
final class Validation {

    /** Tables taken when a source names none: all of them. */
    private static final TableFilter ALL_TABLES =
            new TableFilter(
                    List.of(new TablePattern(Pattern.compile(".*"), Pattern.compile(".*"), "*.*")),
                    List.of());

    private Validation() {}

    /** The tables of a source: its {@code tables} and {@code exclude-tables} options. */
    static TableFilter tableFilter(Config sourceConfig) {
        List<String> include = sourceConfig.get(StandardOptions.TABLES);
        List<String> exclude = sourceConfig.get(StandardOptions.EXCLUDE_TABLES);
        if (include.isEmpty()) {
            return new TableFilter(
                    ALL_TABLES.include(), TableFilter.of(List.of(), exclude).exclude());
        }
        return TableFilter.of(include, exclude);
    }

    /**
     * Every problem of the pipeline, adding the tables it would take to {@code tables}. Connects to
     * both sides; moves no data.
     *
     * @param resumed tables whose stream resumes with their schema as of the stored position (the
     *     schema history): their targets match that schema, not today's catalog, which may be ahead
     *     by the schema changes made while the pipeline was stopped; the run checks them against
     *     the history when it prepares them
     * @param flows receives each table's target and schema after the transforms
     * @param warnings where the sink's {@linkplain io.siphon.spi.Sink#tableWarnings warnings} about
     *     the tables go, for a streaming pipeline; null to skip asking for them
     */
    static List<Problem> problems(
            PipelineSpec spec,
            Connector source,
            Connector sink,
            List<TableSchema> tables,
            List<TableFlow> flows,
            java.util.Set<TableId> resumed,
            List<Problem> warnings) {
        List<Problem> problems = new ArrayList<>();
        if (!source.capabilities().contains(Capability.SNAPSHOT_SOURCE)) {
            problems.add(
                    new Problem(
                            ErrorCode.CAPABILITY_MISSING,
                            "connector " + spec.source().type() + " cannot read snapshots",
                            "use it as a sink, or choose another source type"));
        }
        if (spec.mode() != io.siphon.engine.spec.Mode.SNAPSHOT
                && !source.capabilities().contains(Capability.STREAM_SOURCE)) {
            problems.add(
                    new Problem(
                            ErrorCode.CAPABILITY_MISSING,
                            "connector "
                                    + spec.source().type()
                                    + " cannot stream changes (mode "
                                    + spec.mode().text()
                                    + ")",
                            "use mode: snapshot"));
        }
        if (!sink.capabilities().contains(Capability.SINK)) {
            problems.add(
                    new Problem(
                            ErrorCode.CAPABILITY_MISSING,
                            "connector " + spec.sink().type() + " cannot be written to",
                            "use it as a source, or choose another sink type"));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        TableFilter filter = tableFilter(spec.source().config());
        Usage sourceUsage =
                spec.mode() == io.siphon.engine.spec.Mode.SNAPSHOT
                        ? Usage.SOURCE
                        : Usage.STREAM_SOURCE;
        List<Problem> sourceProblems = source.check(sourceUsage, filter);
        problems.addAll(sourceProblems);
        List<TableSchema> found =
                sourceProblems.isEmpty() ? source.discover(filter) : List.<TableSchema>of();
        if (sourceProblems.isEmpty() && found.isEmpty()) {
            problems.add(
                    new Problem(
                            ErrorCode.TABLE_NOT_FOUND,
                            "source.tables "
                                    + filter.include().stream().map(TablePattern::text).toList()
                                    + " match no table",
                            "check the names (schema.table, case-sensitive) and that the"
                                    + " user can see the tables"));
        }
        Chains chains = Chains.of(spec.transforms(), spec.sink());
        Map<TableId, TableFlow> byTarget = new LinkedHashMap<>();
        List<TableFlow> bound = new ArrayList<>();
        for (TableSchema t : found) {
            TransformChain chain;
            try {
                chain = chains.bind(t);
            } catch (SiphonException e) {
                problems.add(
                        new Problem(
                                e.code(),
                                e.getMessage(),
                                "correct the transform in the spec, or limit it with 'tables' to"
                                        + " the tables it fits"));
                continue;
            }
            TableId target = chains.targetOf(chain);
            TableFlow flow =
                    new TableFlow(t.id(), target, t, chain.outputSchema(), chain.stepSchemas());
            bound.add(flow);
            TableFlow other = byTarget.putIfAbsent(target, flow);
            if (other == null) {
                continue;
            }
            if (!Chains.routed(chain) && other.source().equals(other.output().id())) {
                problems.add(
                        new Problem(
                                ErrorCode.CONFIG_INVALID_VALUE,
                                "sink.table '"
                                        + spec.sink().tableRule()
                                        + "' writes both "
                                        + other.source()
                                        + " and "
                                        + t.id()
                                        + " to "
                                        + target,
                                "use a rule that keeps names apart, such as {schema}_{table}, or"
                                        + " merge them on purpose with a 'route' transform"));
            } else if (!sameShape(other.output(), chain.outputSchema())) {
                problems.add(
                        new Problem(
                                ErrorCode.TRANSFORM_INVALID,
                                "tables "
                                        + other.source()
                                        + " and "
                                        + t.id()
                                        + " are routed into one target "
                                        + target
                                        + " but differ after the transforms: "
                                        + describe(other.output())
                                        + " versus "
                                        + describe(chain.outputSchema()),
                                "give them the same columns, types and key, with drop, keep,"
                                        + " rename or cast before the route"));
            }
        }
        if (!byTarget.isEmpty()) {
            problems.addAll(columnTypeProblems(spec.sink().config(), byTarget));
        }
        // The sink is checked against the target names, each as a literal pattern; with no
        // tables known (the source failed) it still checks its connection and privileges.
        problems.addAll(sink.check(Usage.SINK, literal(byTarget.keySet())));
        if (spec.mode() != io.siphon.engine.spec.Mode.SNAPSHOT) {
            problems.addAll(sink.sink().checkCheckpointInterval(spec.checkpointInterval()));
        }
        if (problems.isEmpty()) {
            // Existing target tables, all of them, before any row moves; a shared target once.
            // Warnings come for every mode: a column type the user chose that may not hold every
            // value matters to a snapshot too.
            for (TableFlow f : byTarget.values()) {
                if (resumed.contains(f.source())) {
                    continue;
                }
                problems.addAll(
                        sink.sink().checkTable(f.output(), f.target(), spec.source().type()));
                if (warnings != null) {
                    warnings.addAll(
                            sink.sink()
                                    .tableWarnings(f.output(), f.target(), spec.source().type()));
                }
            }
        }
        flows.addAll(bound);
        tables.addAll(found);
        return problems;
    }

    /**
     * Each {@code column-types} entry of the sink must name a table the pipeline writes and one of
     * its columns after the transforms: a misspelt name would otherwise leave the column with the
     * type the user wanted to change.
     */
    static List<Problem> columnTypeProblems(Config sinkConfig, Map<TableId, TableFlow> byTarget) {
        ColumnTypes types;
        try {
            types = ColumnTypes.of(sinkConfig);
        } catch (SiphonException e) {
            return List.of(new Problem(e.code(), e.getMessage(), "correct the key in the spec"));
        }
        List<Problem> out = new ArrayList<>();
        List<String> targets = byTarget.keySet().stream().map(TableId::toString).toList();
        types.byTable()
                .forEach(
                        (table, columns) -> {
                            TableFlow flow = byTarget.get(table);
                            if (flow == null) {
                                out.add(
                                        new Problem(
                                                ErrorCode.CONFIG_INVALID_VALUE,
                                                "sink.column-types names table "
                                                        + table
                                                        + ", which the pipeline does not write",
                                                NameSuggester.nearest(table.toString(), targets)
                                                        .map(n -> "did you mean " + n + "?")
                                                        .orElse(
                                                                "name a target table (after the"
                                                                        + " table rule): "
                                                                        + targets)));
                                return;
                            }
                            List<String> names = flow.output().columnNames();
                            for (String column : columns.keySet()) {
                                if (!names.contains(column)) {
                                    out.add(
                                            new Problem(
                                                    ErrorCode.CONFIG_INVALID_VALUE,
                                                    "sink.column-types names column "
                                                            + column
                                                            + " of target table "
                                                            + table
                                                            + ", which has no such column",
                                                    NameSuggester.nearest(column, names)
                                                            .map(n -> "did you mean " + n + "?")
                                                            .orElse("its columns: " + names)));
                                }
                            }
                        });
        return out;
    }

    /** Whether rows of two tables fit one target: the same columns, types and key. */
    static boolean sameShape(TableSchema a, TableSchema b) {
        return a.primaryKey().equals(b.primaryKey())
                && a.columns().size() == b.columns().size()
                && java.util.stream.IntStream.range(0, a.columns().size())
                        .allMatch(
                                i ->
                                        a.columns().get(i).name().equals(b.columns().get(i).name())
                                                && a.columns()
                                                        .get(i)
                                                        .type()
                                                        .equals(b.columns().get(i).type()));
    }

    private static String describe(TableSchema schema) {
        return schema.columns().stream()
                        .map(c -> c.name() + " " + c.type())
                        .collect(Collectors.joining(", ", "(", ")"))
                + " key "
                + schema.primaryKey();
    }

    private static TableFilter literal(java.util.Collection<TableId> targets) {
        return new TableFilter(
                targets.stream()
                        .map(
                                t ->
                                        TablePattern.parse(
                                                TableId.quote(t.schema())
                                                        + "."
                                                        + TableId.quote(t.table())))
                        .toList(),
                List.of());
    }

    /**
     * The tables of the pipeline.
     *
     * @throws SiphonException with the first problem's code, listing every problem with its fix
     */
    static List<TableSchema> checkAndDiscover(
            PipelineSpec spec, Connector source, Connector sink, java.util.Set<TableId> resumed) {
        List<TableSchema> tables = new ArrayList<>();
        List<Problem> problems =
                problems(spec, source, sink, tables, new ArrayList<>(), resumed, null);
        if (problems.size() == 1) {
            Problem p = problems.get(0);
            throw new SiphonException(p.code(), p.message() + ". " + p.fix());
        }
        if (!problems.isEmpty()) {
            throw new SiphonException(
                    problems.get(0).code(),
                    problems.size()
                            + " problems:\n"
                            + problems.stream()
                                    .map(p -> "  " + p)
                                    .collect(Collectors.joining("\n")));
        }
        return tables;
    }
}
