package io.siphon.server.pipeline;

import io.siphon.engine.NodeOutput;
import io.siphon.engine.Preview;
import io.siphon.engine.TableFlow;
import io.siphon.engine.ValidationReport;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.server.connection.ConnectionController.ProblemView;
import io.siphon.transforms.TypeNames;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pipelines: the same spec as {@code siphon run} takes, in JSON or YAML, with {@code source} and
 * {@code sink} naming stored connections; in a graph ({@code nodes:}/{@code edges:}), each source
 * and sink node names one.
 */
@RestController
@RequestMapping("/api/v1/pipelines")
public class PipelineController {

    // A spec body is JSON or YAML. Never text/plain (nor form types): a page of another site may
    // send those without asking the browser first, which is how cross-site forgery starts.
    private static final String JSON = "application/json";
    private static final String YAML = "application/yaml";
    private static final String X_YAML = "application/x-yaml";
    private static final String TEXT_YAML = "text/yaml";

    private final PipelineService service;
    private final PipelineEvents events;

    PipelineController(PipelineService service, PipelineEvents events) {
        this.service = service;
        this.events = events;
    }

    /**
     * The outcome of a validation.
     *
     * @param ok whether nothing is wrong
     * @param problems every problem, each with its fix
     * @param tables the source tables the pipeline would take
     * @param unstreamable tables that match but that the stream cannot carry yet (for PostgreSQL:
     *     not in a publication the user manages), each with its fix; the pipeline leaves them out
     *     until fixed and streams the others, so they are warnings, not problems
     * @param warnings what the pipeline can run with but will not follow exactly (a generated
     *     column the target does not compute), each with what to do about it
     * @param flows each table's target and its schema after the transforms (for the UI to draw),
     *     for every flow of a graph
     * @param nodes what leaves each node of the pipeline's graph, in the order of its nodes
     */
    public record ValidationView(
            boolean ok,
            List<ProblemView> problems,
            List<String> tables,
            List<UnstreamableView> unstreamable,
            List<ProblemView> warnings,
            List<FlowView> flows,
            List<NodeView> nodes) {

        /**
         * The reports of a graph's flows as one: what two flows share (a sink's problem, a source
         * table of a fan-out) is listed once.
         */
        static ValidationView of(PipelineService.GraphValidation validation) {
            List<ValidationReport> reports = validation.reports();
            List<FlowView> flows = new java.util.ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                ValidationReport report = reports.get(i);
                String flow = validation.graph().flows().get(i).spec().name();
                report.flows()
                        .forEach(
                                f ->
                                        flows.add(
                                                FlowView.of(
                                                        flow,
                                                        f,
                                                        report.ddl()
                                                                .getOrDefault(
                                                                        f.target(), List.of()))));
            }
            return new ValidationView(
                    reports.stream().allMatch(ValidationReport::ok),
                    distinct(reports, r -> r.problems().stream().map(ProblemView::of)),
                    distinct(reports, r -> r.tables().stream().map(TableId::toString)),
                    distinct(reports, r -> r.unstreamable().stream().map(UnstreamableView::of)),
                    distinct(reports, r -> r.warnings().stream().map(ProblemView::of)),
                    flows,
                    NodeOutput.of(validation.graph(), reports).stream().map(NodeView::of).toList());
        }

        private static <T> List<T> distinct(
                List<ValidationReport> reports,
                java.util.function.Function<ValidationReport, java.util.stream.Stream<T>> items) {
            return reports.stream().flatMap(items).distinct().toList();
        }
    }

    /**
     * What leaves one node of the pipeline (for the UI to draw on each node).
     *
     * @param node the node's id: {@code source}, {@code #1}... for the transforms, {@code sink} in
     *     the linear form; as written in a graph's {@code nodes}
     * @param kind {@code source}, {@code sink}, {@code union} or the operator's type
     * @param tables the schema of each table's rows leaving the node
     */
    public record NodeView(String node, String kind, List<SchemaView> tables) {

        static NodeView of(NodeOutput output) {
            return new NodeView(
                    output.node(),
                    output.kind(),
                    output.tables().stream().map(SchemaView::of).toList());
        }
    }

    /**
     * The rows leaving each node of a preview.
     *
     * @param table the source table previewed
     * @param nodes each node's rows, each node once, source first: in a graph of several flows,
     *     every node the previewed flows pass, with what it would receive from all of them (a
     *     union's rows from each source that has the table)
     * @param flows each flow previewed, with its path
     */
    public record PreviewView(
            String table, List<PreviewNodeView> nodes, List<PreviewFlowView> flows) {

        static PreviewView of(String table, List<Preview.FlowRows> flows) {
            return new PreviewView(
                    table,
                    Preview.byNode(flows).stream().map(PreviewNodeView::of).toList(),
                    flows.stream()
                            .map(
                                    f ->
                                            new PreviewFlowView(
                                                    f.flow(),
                                                    f.source(),
                                                    f.sink(),
                                                    f.nodes().stream()
                                                            .map(Preview.NodeRows::node)
                                                            .toList()))
                            .toList());
        }
    }

    /**
     * One flow of a preview: its rows are those of the nodes on its path in {@link
     * PreviewView#nodes()} (for its sink, those of every flow previewed into that sink).
     *
     * @param flow the flow's name: the pipeline's, or {@code <pipeline>.<source>.<sink>}
     * @param source its source node
     * @param sink its sink node
     * @param path the ids of the nodes on its path, source first, sink last
     */
    public record PreviewFlowView(String flow, String source, String sink, List<String> path) {}

    /**
     * The rows leaving one node.
     *
     * @param node the node's id
     * @param kind {@code source}, {@code sink} or the operator's type
     * @param schema the rows' schema there
     * @param rows the rows, each a list of values in the schema's column order: numbers, text,
     *     booleans and null as JSON has them, other values (decimals, times, bytes in hex) as text
     */
    public record PreviewNodeView(
            String node, String kind, SchemaView schema, List<List<Object>> rows) {

        static PreviewNodeView of(Preview.NodeRows rows) {
            return new PreviewNodeView(
                    rows.node(),
                    rows.kind(),
                    SchemaView.of(rows.schema()),
                    rows.rows().stream().map(PreviewNodeView::values).toList());
        }

        private static List<Object> values(Row row) {
            List<Object> out = new java.util.ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                out.add(
                        switch (row.get(i)) {
                            case null -> null;
                            case Boolean b -> b;
                            case Short n -> n;
                            case Integer n -> n;
                            case Long n -> n;
                            case Float n -> n;
                            case Double n -> n;
                            case String text -> text;
                            case byte[] bytes -> "\\x" + java.util.HexFormat.of().formatHex(bytes);
                            // Decimals as text keep their digits; JSON numbers may not.
                            case Object other -> String.valueOf(other);
                        });
            }
            return out;
        }
    }

    /**
     * A table the stream cannot carry yet.
     *
     * @param table the source table, {@code schema.table}
     * @param reason why, naming the source object
     * @param fix what to run
     */
    public record UnstreamableView(String table, String reason, String fix) {

        static UnstreamableView of(io.siphon.spi.UnstreamableTable u) {
            return new UnstreamableView(u.table().toString(), u.reason(), u.fix());
        }
    }

    /**
     * Where a source table's rows go, and their schema after each step of the transforms.
     *
     * @param flow the flow that carries them: the pipeline's name, or {@code
     *     <pipeline>.<source>.<sink>} in a graph of several paths
     * @param source the source table
     * @param target the target table
     * @param output the rows' schema at the end of the chain: what the target is created from
     * @param steps the schema after each step that applies to the table, in order
     * @param ddl a dry run: the statements the sink would run to create the target ({@code CREATE
     *     TABLE}); empty when it exists or the pipeline has problems
     */
    public record FlowView(
            String flow,
            String source,
            String target,
            SchemaView output,
            List<StepView> steps,
            List<String> ddl) {

        static FlowView of(String name, TableFlow flow, List<String> ddl) {
            return new FlowView(
                    name,
                    flow.source().toString(),
                    flow.target().toString(),
                    SchemaView.of(flow.output()),
                    flow.steps().stream()
                            .map(s -> new StepView(s.step(), SchemaView.of(s.schema())))
                            .toList(),
                    ddl);
        }
    }

    /**
     * The schema after one transform step.
     *
     * @param step the step's name, {@code #1} for the first transform
     * @param schema the rows' schema after it
     */
    public record StepView(String step, SchemaView schema) {}

    /**
     * A table's schema.
     *
     * @param table the table's name at that point (a route changes it)
     * @param columns its columns in order
     * @param key its key columns
     */
    public record SchemaView(String table, List<ColumnView> columns, List<String> key) {

        static SchemaView of(TableSchema schema) {
            return new SchemaView(
                    schema.id().toString(),
                    schema.columns().stream()
                            .map(
                                    c ->
                                            new ColumnView(
                                                    c.name(),
                                                    TypeNames.name(c.type()),
                                                    c.nullable()))
                            .toList(),
                    schema.primaryKey());
        }
    }

    /**
     * A column.
     *
     * @param name its name
     * @param type its type, as a {@code cast} names it
     * @param nullable whether it may be null
     */
    public record ColumnView(String name, String type, boolean nullable) {}

    @GetMapping
    public List<PipelineView> list() {
        return service.list();
    }

    @GetMapping("/{name}")
    public PipelineView get(@PathVariable String name) {
        return service.get(name);
    }

    /** Creates a stopped pipeline. */
    @PostMapping(consumes = {JSON, YAML, X_YAML, TEXT_YAML})
    @ResponseStatus(HttpStatus.CREATED)
    public PipelineView create(@RequestBody String spec, Authentication auth) {
        return service.create(spec, auth.getName());
    }

    /** Replaces the spec of a stopped pipeline. */
    @PutMapping(
            value = "/{name}",
            consumes = {JSON, YAML, X_YAML, TEXT_YAML})
    public PipelineView update(@PathVariable String name, @RequestBody String spec) {
        return service.update(name, spec);
    }

    /** Deletes a stopped pipeline, its replication slot and publication, and its positions. */
    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(
            @PathVariable String name, @RequestParam(defaultValue = "false") boolean force) {
        service.delete(name, force);
    }

    /** Starts a pipeline; returns at once (poll its status). */
    @PostMapping("/{name}/start")
    public ResponseEntity<PipelineView> start(@PathVariable String name, Authentication auth) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(service.start(name, auth.getName()));
    }

    /** Stops a pipeline cleanly and returns once it stopped. */
    @PostMapping("/{name}/stop")
    public PipelineView stop(@PathVariable String name) {
        return service.stop(name);
    }

    /**
     * Without a body (or with no tables): makes a stopped pipeline copy all its tables again at its
     * next start: drops its slot, forgets its positions, empties its targets. The way out of a lost
     * position ({@code POSITION_LOST}). With {@code {"tables": ["schema.table", ...]}}: copies
     * those tables again while the pipeline streams on (per-table re-snapshot), running or not; the
     * status shows each table's progress. In a graph, in every flow that reads them, or in the one
     * flow named by {@code "flow"}; a flow that writes a union's shared target is refused.
     */
    @PostMapping("/{name}/resnapshot")
    public PipelineView resnapshot(
            @PathVariable String name, @RequestBody(required = false) ResnapshotRequest body) {
        if (body == null || body.tables() == null || body.tables().isEmpty()) {
            return service.resnapshot(name);
        }
        return service.resnapshotTables(name, body.tables(), body.flow());
    }

    /**
     * The body of a per-table re-snapshot.
     *
     * @param tables the tables to copy again, as {@code schema.table}
     * @param flow in a graph of several flows, the one flow to copy them in ({@code
     *     <pipeline>.<source>.<sink>}, as the status names it); without it, every flow that reads
     *     them
     */
    public record ResnapshotRequest(java.util.List<String> tables, String flow) {}

    /** Checks a stored pipeline and its connections without moving data. */
    @PostMapping("/{name}/validate")
    public ValidationView validate(@PathVariable String name) {
        return ValidationView.of(service.validate(name));
    }

    /** Checks a spec and its connections without storing it or moving data. */
    @PostMapping(
            value = "/validate",
            consumes = {JSON, YAML, X_YAML, TEXT_YAML})
    public ValidationView validateSpec(@RequestBody String spec) {
        return ValidationView.of(service.validateSpec(spec));
    }

    /**
     * Runs a spec's flows over the first rows of one source table, writing nothing: the rows
     * leaving each node. Reads the sources only, each once.
     *
     * @param table the source table, {@code schema.table}
     * @param limit how many rows, 1 to 1000
     * @param source in a graph, the source node to read (default: every source with the table)
     * @param sink in a graph, the sink node whose flows to run (default: all)
     */
    @PostMapping(
            value = "/preview",
            consumes = {JSON, YAML, X_YAML, TEXT_YAML})
    public PreviewView preview(
            @RequestBody String spec,
            @RequestParam String table,
            @RequestParam(defaultValue = "10") int limit,
            @RequestParam(required = false) String source,
            @RequestParam(required = false) String sink) {
        return PreviewView.of(table, service.preview(spec, table, limit, source, sink));
    }

    /** The pipeline's progress: phase, tables, stream position and lag, last error. */
    @GetMapping("/{name}/status")
    public StatusView status(@PathVariable String name) {
        return service.status(name);
    }

    /**
     * The pipeline's progress as Server-Sent Events: an event {@code status} (the same object as
     * {@code GET .../status}) at once and then every second. A stream lasts a minute; EventSource
     * clients reconnect by themselves.
     */
    @GetMapping(value = "/{name}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable String name) {
        return events.pipeline(name);
    }

    /** The pipeline's runs, newest first. */
    @GetMapping("/{name}/runs")
    public List<RunView> runs(
            @PathVariable String name, @RequestParam(defaultValue = "50") int limit) {
        return service.runs(name, Math.max(1, Math.min(limit, 1000)));
    }
}
