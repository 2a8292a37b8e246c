package io.siphon.server.pipeline;

import io.siphon.engine.GraphRun;
import io.siphon.engine.PipelineRun;
import io.siphon.engine.Preview;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunResult;
import io.siphon.engine.RunStatus;
import io.siphon.engine.SiphonEngine;
import io.siphon.engine.StatusFile;
import io.siphon.engine.TableProgress;
import io.siphon.engine.TableResnapshotRequest;
import io.siphon.engine.ValidationReport;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.model.TableId;
import io.siphon.server.audit.AuditLog;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Service;

/**
 * The life of pipelines in the server: create, change, start, stop, delete; resume after a restart
 * of the server; restart after a failure when the pipeline's policy says so.
 *
 * <p>What must survive the server is in the metadata store: the spec, whether the pipeline should
 * run ({@code desired_state}) and the history of runs. Where a pipeline's stream is lives in the
 * engine's state store, written only after the target committed, so a pipeline started again after
 * any crash resumes without losing a change.
 */
@Service
public class PipelineService implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineService.class);

    /** Why a run started. */
    enum Cause {
        USER,
        RESUME,
        RESTART
    }

    /** A run of a pipeline in this server: one engine run per flow of its graph. */
    private record Active(GraphRun run, long runId, Thread watcher) {}

    private final PipelineStore store;
    private final PipelineSpecs specs;
    private final SiphonEngine engine;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final ScheduledExecutorService restarter =
            Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().daemon().name("siphon-restarter").unstarted(r));
    private volatile boolean shuttingDown;

    PipelineService(PipelineStore store, PipelineSpecs specs, SiphonEngine engine) {
        this.store = store;
        this.specs = specs;
        this.engine = engine;
    }

    /** Starts again the pipelines that were running when the server last stopped. */
    @Override
    public void run(ApplicationArguments args) {
        int interrupted = store.interruptOpenRuns();
        if (interrupted > 0) {
            LOG.warn(
                    "{} run(s) ended with the server's last stop without recording it (the"
                            + " process was killed); their pipelines resume from their stored"
                            + " positions",
                    interrupted);
        }
        for (String name : store.desiredRunning()) {
            // One pipeline that cannot start must not keep the server, or the others, down.
            try {
                start(name, Cause.RESUME, null);
            } catch (SiphonException e) {
                LOG.error("Pipeline {} could not be resumed: {}", name, e.getMessage());
                store.setError(name, e.code().name(), e.getMessage());
                store.setState(name, PipelineState.FAILED, PipelineStore.STOPPED);
            } catch (RuntimeException e) {
                LOG.error("Pipeline {} could not be resumed", name, e);
                store.setError(
                        name,
                        ErrorCode.INTERNAL_ERROR.name(),
                        "could not be resumed: " + e.getMessage());
                store.setState(name, PipelineState.FAILED, PipelineStore.STOPPED);
            }
        }
    }

    /** Every pipeline. */
    public List<PipelineView> list() {
        return store.list().stream().map(this::view).toList();
    }

    /** One pipeline. */
    public PipelineView get(String name) {
        return view(store.get(name));
    }

    /** Creates a stopped pipeline from a spec body (JSON or YAML). */
    public PipelineView create(String body, String user) {
        PipelineDefinition d = specs.read(body, null);
        synchronized (lock(d.name())) {
            if (store.find(d.name()).isPresent()) {
                throw new SiphonException(
                        ErrorCode.ALREADY_EXISTS,
                        "pipeline '"
                                + d.name()
                                + "' exists already; change it with PUT /api/v1/pipelines/"
                                + d.name());
            }
            store.insert(d, specs.toJson(d), user);
            LOG.info("Pipeline {} created by {}", d.name(), user);
            return get(d.name());
        }
    }

    /**
     * Replaces a stopped pipeline's spec. A flow of the old graph that the new one no longer has (a
     * sink or source node removed, an edge cut) is dropped first, as a delete drops a whole
     * pipeline: its replication slot and publication, its records at the target, its positions and
     * its status; its target tables are kept.
     *
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} while it runs; what dropping a
     *     removed flow failed with (the spec is then unchanged)
     */
    public PipelineView update(String name, String body) {
        synchronized (lock(name)) {
            PipelineStore.Row row = store.get(name);
            requireNotRunning(name, "changed");
            PipelineDefinition d = specs.read(body, name);
            List<String> kept =
                    specs.resolve(d).flows().stream().map(f -> f.spec().name()).toList();
            for (PipelineGraph.Flow old : oldFlows(row)) {
                if (!kept.contains(old.spec().name())) {
                    dropRemovedFlow(name, old.spec());
                }
            }
            store.updateSpec(d, specs.toJson(d));
            return get(name);
        }
    }

    /** The flows of a pipeline's stored spec; none when it no longer resolves. */
    private List<PipelineGraph.Flow> oldFlows(PipelineStore.Row row) {
        try {
            return specs.resolve(specs.fromJson(row.specJson())).flows();
        } catch (SiphonException e) {
            // A connection it named was deleted since: its flows cannot be reached to drop.
            LOG.warn(
                    "Pipeline {}: its stored spec no longer resolves ({}); flows the new spec"
                            + " leaves out keep their stream objects at the source",
                    row.name(),
                    e.getMessage());
            return List.of();
        }
    }

    private void dropRemovedFlow(String name, PipelineSpec flow) {
        try {
            engine.drop(flow, false);
        } catch (SiphonException e) {
            throw new SiphonException(
                    e.code(),
                    "flow "
                            + flow.name()
                            + ", which the new spec leaves out, could not be dropped: "
                            + e.getMessage()
                            + " (the spec is unchanged; fix this and change it again)",
                    e);
        }
        LOG.info("Pipeline {}: flow {} left out of the new spec, dropped", name, flow.name());
    }

    /**
     * Deletes a stopped pipeline with its replication slot and publication at the source and its
     * stored positions; target tables are kept.
     *
     * @param force delete it even when the source cannot be reached to drop the slot (which then
     *     stays and holds WAL at the source until dropped by hand)
     */
    public void delete(String name, boolean force) {
        synchronized (lock(name)) {
            PipelineStore.Row row = store.get(name);
            requireNotRunning(name, "deleted");
            List<PipelineSpec> flows;
            try {
                flows =
                        specs.resolve(specs.fromJson(row.specJson())).flows().stream()
                                .map(PipelineGraph.Flow::spec)
                                .toList();
            } catch (SiphonException e) {
                requireForce(name, force, e);
                flows = List.of();
            }
            // By force, every flow's objects that can be dropped still are.
            for (PipelineSpec flow : flows) {
                try {
                    engine.drop(flow, false);
                } catch (SiphonException e) {
                    requireForce(name, force, e);
                }
            }
            store.delete(name);
            restarts.remove(name);
            LOG.info("Pipeline {} deleted", name);
        }
    }

    /** Throws why a delete failed, unless forced, when it is only logged. */
    private static void requireForce(String name, boolean force, SiphonException e) {
        if (!force) {
            throw new SiphonException(
                    e.code(),
                    e.getMessage()
                            + " (the pipeline is kept; fix this and delete again, or"
                            + " delete with ?force=true and drop its replication slot by"
                            + " hand)",
                    e);
        }
        LOG.warn(
                "Pipeline {} deleted by force; its stream objects at the source may remain: {}",
                name,
                e.getMessage());
    }

    /**
     * Prepares a stopped pipeline to copy its tables again from scratch (after its stream position
     * was lost, or to rebuild its targets): drops its replication slot, forgets its positions and
     * empties its target tables. Its next start snapshots anew.
     */
    public PipelineView resnapshot(String name) {
        synchronized (lock(name)) {
            PipelineStore.Row row = store.get(name);
            requireNotRunning(name, "reset");
            // A union's flows empty the same targets: each before any of them copies again.
            for (PipelineGraph.Flow flow : specs.resolve(specs.fromJson(row.specJson())).flows()) {
                engine.resnapshot(flow.spec());
            }
            LOG.info("Pipeline {} will copy its tables again at its next start", name);
            return get(name);
        }
    }

    /**
     * Asks a pipeline to copy some tables again while it streams (per-table re-snapshot): recorded
     * in the engine's state store, where the pipeline's stream picks it up now if it runs, or when
     * it next starts. In a graph of several flows, each table is copied again in every flow that
     * reads it, or in the one flow named.
     *
     * @param flow the flow to copy the tables in ({@code <pipeline>.<source>.<sink>}), or null for
     *     every flow that reads them
     * @throws SiphonException {@link ErrorCode#TABLE_NOT_FOUND} for a table no flow (or not the
     *     flow named) reads, {@link ErrorCode#CONFIG_INVALID_VALUE} for a flow that is not the
     *     pipeline's or one that writes a union's shared target (a copy starts by emptying the
     *     target, the other sources' rows too); nothing is recorded then
     */
    public PipelineView resnapshotTables(String name, List<String> tables, String flow) {
        synchronized (lock(name)) {
            PipelineStore.Row row = store.get(name);
            PipelineGraph graph = specs.resolve(specs.fromJson(row.specJson()));
            Map<PipelineSpec, List<String>> perFlow = tablesPerFlow(graph, tables, flow);
            perFlow.forEach(
                    (spec, names) -> {
                        List<TableId> added =
                                TableResnapshotRequest.record(engine.state(), spec, names);
                        LOG.info(
                                "Pipeline {}: re-snapshot of {} requested{}",
                                name,
                                added,
                                graph.single() ? "" : " in flow " + spec.name());
                    });
            return get(name);
        }
    }

    /** Which flows copy which of the tables again; checked before anything is recorded. */
    private static Map<PipelineSpec, List<String>> tablesPerFlow(
            PipelineGraph graph, List<String> tables, String flow) {
        List<PipelineSpec> flows = graph.flows().stream().map(PipelineGraph.Flow::spec).toList();
        if (flow != null) {
            List<String> names = flows.stream().map(PipelineSpec::name).toList();
            if (!names.contains(flow)) {
                throw new SiphonException(
                        ErrorCode.CONFIG_INVALID_VALUE,
                        "pipeline "
                                + graph.name()
                                + " has no flow named "
                                + flow
                                + "; name one of "
                                + String.join(", ", names));
            }
            flows = flows.stream().filter(f -> f.name().equals(flow)).toList();
        }
        Map<PipelineSpec, List<String>> out = new java.util.LinkedHashMap<>();
        if (flows.size() == 1) {
            // The engine names what the one flow does not take.
            out.put(flows.get(0), List.copyOf(tables));
        }
        for (String table : flows.size() == 1 ? List.<String>of() : tables) {
            List<PipelineSpec> reading =
                    flows.stream().filter(f -> TableResnapshotRequest.takes(f, table)).toList();
            if (reading.isEmpty()) {
                throw new SiphonException(
                        ErrorCode.TABLE_NOT_FOUND,
                        "table "
                                + table
                                + " is not among the tables of any flow of pipeline "
                                + graph.name()
                                + " (no source's 'tables' and 'exclude-tables' take it); name a"
                                + " table the pipeline streams");
            }
            reading.forEach(f -> out.computeIfAbsent(f, k -> new ArrayList<>()).add(table));
        }
        out.keySet().stream()
                .filter(PipelineSpec::sharedTargets)
                .findFirst()
                .ifPresent(
                        f -> {
                            throw new SiphonException(
                                    ErrorCode.CONFIG_INVALID_VALUE,
                                    "flow "
                                            + f.name()
                                            + " writes target tables that other flows of the"
                                            + " union write too, and a copy of a table starts by"
                                            + " emptying its target, the other sources' rows"
                                            + " with it; resnapshot the whole pipeline while it"
                                            + " is stopped instead");
                        });
        return out;
    }

    /**
     * A pipeline's graph checked: one report per flow, in flow order.
     *
     * @param graph the pipeline's graph (of one flow for the linear form)
     * @param reports each flow's validation
     */
    public record GraphValidation(PipelineGraph graph, List<ValidationReport> reports) {}

    /** Checks a stored pipeline's spec and connections without moving data. */
    public GraphValidation validate(String name) {
        PipelineGraph graph = specs.resolve(specs.fromJson(store.get(name).specJson()));
        return new GraphValidation(graph, engine.validate(graph));
    }

    /** Checks a spec body and its connections without storing it or moving data. */
    public GraphValidation validateSpec(String body) {
        PipelineGraph graph = specs.resolve(specs.read(body, null));
        return new GraphValidation(graph, engine.validate(graph));
    }

    /**
     * Runs a spec body's flows over the first {@code limit} rows of one source table and returns
     * the rows leaving each node of each flow; stores nothing and writes nothing. The spec is
     * resolved like any other (its connections' options, never overridden where they say where to
     * connect).
     *
     * @param source the source node to read, or null for every source that has the table
     * @param sink the sink node whose flows to run, or null for all
     */
    public List<Preview.FlowRows> preview(
            String body, String table, int limit, String source, String sink) {
        PipelineDefinition definition = specs.read(body, null);
        PipelineGraph graph = specs.resolve(definition);
        AuditLog.note(
                "preview of "
                        + table
                        + " ("
                        + limit
                        + " rows) from connection "
                        + definition.sourceConnection()
                        + (source == null ? "" : ", source node " + source)
                        + (sink == null ? "" : ", sink node " + sink));
        return Preview.run(graph, source, sink, table, limit);
    }

    /** Starts a pipeline at the user's request; returns at once. */
    public PipelineView start(String name, String user) {
        restarts.remove(name);
        start(name, Cause.USER, user);
        return get(name);
    }

    /** Stops a pipeline cleanly and returns once it stopped; it resumes at its next start. */
    public PipelineView stop(String name) {
        Active a;
        synchronized (lock(name)) {
            PipelineStore.Row row = store.get(name);
            store.setDesired(name, PipelineStore.STOPPED);
            a = active.get(name);
            if (a == null && row.state() != PipelineState.FAILED) {
                store.setState(name, PipelineState.STOPPED, PipelineStore.STOPPED);
            }
        }
        if (a != null) {
            LOG.info("Stopping pipeline {}", name);
            a.run().stop();
            joinQuietly(a.watcher());
        }
        return get(name);
    }

    /** The progress of a pipeline: live while it runs, else its last run's. */
    public StatusView status(String name) {
        PipelineStore.Row row = store.get(name);
        Active a = active.get(name);
        List<FlowProgress> flows = new ArrayList<>();
        if (a != null) {
            List<PipelineGraph.Flow> graphFlows = a.run().graph().flows();
            for (int i = 0; i < graphFlows.size(); i++) {
                PipelineGraph.Flow f = graphFlows.get(i);
                flows.add(
                        new FlowProgress(
                                f.spec().name(),
                                f.source(),
                                f.sink(),
                                a.run().runs().get(i).progress()));
            }
        } else {
            flows.addAll(lastFlows(name, specs.fromJson(row.specJson()).spec()));
        }
        RunProgress total = combined(name, flows.stream().map(FlowProgress::progress).toList());
        PipelineState state = state(row, a == null || total == null ? null : total.phase());
        List<StatusView.FlowStatus> flowViews = new ArrayList<>();
        for (FlowProgress f : flows) {
            flowViews.add(
                    StatusView.FlowStatus.of(
                            f.name(),
                            f.source(),
                            f.sink(),
                            a == null || f.progress() == null
                                    ? state
                                    : state(row, f.progress().phase()),
                            f.progress()));
        }
        return StatusView.of(name, state, total, error(row), flowViews);
    }

    /** A flow's name, its source and sink nodes and its progress (null when it never ran). */
    private record FlowProgress(String name, String source, String sink, RunProgress progress) {}

    /**
     * The last runs' progress of a pipeline that does not run here, from the engine's status files:
     * one, named like the pipeline, for the linear form; one per flow that ran, named {@code
     * <pipeline>.<source>.<sink>}, for a graph (names and node ids hold no dot).
     */
    private List<FlowProgress> lastFlows(String name, Map<String, Object> spec) {
        java.nio.file.Path dir = engine.state().directory();
        List<FlowProgress> out = new ArrayList<>();
        boolean graph = spec.containsKey("nodes");
        for (StatusFile.Status s :
                graph
                        ? StatusFile.readAll(dir)
                        : StatusFile.read(dir, name).map(List::of).orElse(List.of())) {
            String flow = s.progress().pipeline();
            if (flow.equals(name)) {
                out.add(
                        new FlowProgress(
                                name,
                                graph ? null : "source",
                                graph ? null : "sink",
                                s.progress()));
            } else if (flow.startsWith(name + ".")) {
                String[] ends = flow.substring(name.length() + 1).split("\\.", 2);
                if (ends.length == 2) {
                    out.add(new FlowProgress(flow, ends[0], ends[1], s.progress()));
                }
            }
        }
        if (out.isEmpty() && !graph) {
            out.add(new FlowProgress(name, "source", "sink", null));
        }
        return out;
    }

    /**
     * A pipeline's progress over its flows: every flow's tables; the phase of the flow least
     * advanced (or failed, when one failed); the stream of the only flow, none for several.
     */
    private static RunProgress combined(String name, List<RunProgress> flows) {
        List<RunProgress> known = flows.stream().filter(java.util.Objects::nonNull).toList();
        if (known.isEmpty()) {
            return null;
        }
        if (flows.size() == 1) {
            return known.get(0);
        }
        RunPhase phase =
                known.stream().anyMatch(p -> p.phase() == RunPhase.FAILED)
                        ? RunPhase.FAILED
                        : known.stream()
                                .map(RunProgress::phase)
                                .min(java.util.Comparator.naturalOrder())
                                .orElseThrow();
        List<TableProgress> tables = new ArrayList<>();
        known.forEach(p -> tables.addAll(p.tables()));
        java.time.Duration elapsed =
                known.stream()
                        .map(RunProgress::elapsed)
                        .max(java.util.Comparator.naturalOrder())
                        .orElseThrow();
        return new RunProgress(name, phase, tables, elapsed, null);
    }

    /** The runs of a pipeline, newest first. */
    public List<RunView> runs(String name, int limit) {
        store.get(name);
        return store.runs(name, limit);
    }

    /**
     * The progress of every running flow, for metrics and health: by pipeline name, or {@code
     * <pipeline>.<source>.<sink>} for each flow of a graph of several.
     */
    public Map<String, RunProgress> running() {
        Map<String, RunProgress> out = new java.util.TreeMap<>();
        active.forEach(
                (name, a) -> a.run().runs().forEach(r -> out.put(r.pipeline(), r.progress())));
        return out;
    }

    /** Failed runs per pipeline since the server started, for metrics. */
    public Map<String, Long> failures() {
        return Map.copyOf(failures);
    }

    /** Pipelines that should run but failed, by name. */
    public List<String> failed() {
        return store.list().stream()
                .filter(r -> r.state() == PipelineState.FAILED)
                .map(PipelineStore.Row::name)
                .toList();
    }

    private void start(String name, Cause cause, String user) {
        synchronized (lock(name)) {
            PipelineStore.Row row = store.get(name);
            if (active.containsKey(name)) {
                throw new SiphonException(
                        ErrorCode.STATE_CONFLICT,
                        "pipeline '" + name + "' is running already; stop it first");
            }
            PipelineGraph graph = specs.resolve(specs.fromJson(row.specJson()));
            GraphRun run = engine.start(graph);
            long runId = store.startRun(name, cause.name(), user);
            store.setError(name, null, null);
            store.setState(name, PipelineState.RUNNING, PipelineStore.RUNNING);
            Thread watcher =
                    Thread.ofVirtual()
                            .name("siphon-watch-" + name)
                            .unstarted(() -> watch(name, run, runId));
            active.put(name, new Active(run, runId, watcher));
            watcher.start();
            try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", name)) {
                LOG.info(
                        "Pipeline {} started ({}{})",
                        name,
                        cause.name().toLowerCase(java.util.Locale.ROOT),
                        user == null ? "" : " by " + user);
            }
        }
    }

    private void watch(String name, GraphRun run, long runId) {
        RunResult result = combinedResult(name, awaitAll(run));
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", name)) {
            ended(name, runId, result);
        } catch (RuntimeException e) {
            LOG.error("Could not record the end of pipeline {}'s run", name, e);
        }
    }

    /**
     * Waits for every flow to end. A flow that fails stops the others: the pipeline fails as a
     * whole, and its restart policy starts every flow again.
     */
    private static List<RunResult> awaitAll(GraphRun run) {
        if (run.runs().size() > 1) {
            List<Thread> watchers = new ArrayList<>();
            for (PipelineRun flow : run.runs()) {
                watchers.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            if (flow.await().status() == RunStatus.FAILED) {
                                                run.stop();
                                            }
                                        }));
            }
            watchers.forEach(PipelineService::joinQuietly);
        }
        return run.await();
    }

    /**
     * How a pipeline's run ended over its flows: failed if one failed (with the first failure,
     * naming its flow when there are several), else stopped if one stopped, else completed.
     */
    private static RunResult combinedResult(String name, List<RunResult> results) {
        if (results.size() == 1) {
            return results.get(0);
        }
        RunStatus status =
                results.stream().anyMatch(r -> r.status() == RunStatus.FAILED)
                        ? RunStatus.FAILED
                        : results.stream().anyMatch(r -> r.status() == RunStatus.STOPPED)
                                ? RunStatus.STOPPED
                                : RunStatus.COMPLETED;
        SiphonException error =
                results.stream()
                        .filter(r -> r.error() != null)
                        .findFirst()
                        .map(
                                r ->
                                        new SiphonException(
                                                r.error().code(),
                                                "flow "
                                                        + r.pipeline()
                                                        + ": "
                                                        + r.error().getMessage(),
                                                r.error()))
                        .orElse(null);
        List<TableProgress> tables = new ArrayList<>();
        results.forEach(r -> tables.addAll(r.tables()));
        java.time.Duration elapsed =
                results.stream()
                        .map(RunResult::elapsed)
                        .max(java.util.Comparator.naturalOrder())
                        .orElseThrow();
        return new RunResult(name, status, tables, elapsed, error);
    }

    private void ended(String name, long runId, RunResult result) {
        SiphonException error = result.error();
        long events =
                result.tables().stream()
                        .map(TableProgress::events)
                        .flatMap(m -> m.values().stream())
                        .mapToLong(Long::longValue)
                        .sum();
        boolean restart = false;
        RestartPolicyDecision decision = null;
        synchronized (lock(name)) {
            active.remove(name);
            store.endRun(
                    runId,
                    result.status().name(),
                    result.rowsWritten(),
                    events,
                    error == null ? null : error.code().name(),
                    error == null ? null : error.getMessage());
            Optional<PipelineStore.Row> row = store.find(name);
            if (row.isEmpty()) {
                return;
            }
            switch (result.status()) {
                case COMPLETED -> {
                    LOG.info("Pipeline {} completed: {} rows", name, result.rowsWritten());
                    store.setState(name, PipelineState.COMPLETED, PipelineStore.STOPPED);
                }
                case STOPPED -> {
                    // On a server shutdown the pipeline should still run: it resumes at the next
                    // start. A user's stop already set desired_state to STOPPED.
                    String desired =
                            shuttingDown ? row.get().desiredState() : PipelineStore.STOPPED;
                    store.setState(name, PipelineState.STOPPED, desired);
                    LOG.info("Pipeline {} stopped", name);
                }
                case FAILED -> {
                    failures.merge(name, 1L, Long::sum);
                    store.setError(name, error.code().name(), error.getMessage());
                    decision = restartDecision(row.get());
                    restart = decision.restart();
                    store.setState(
                            name,
                            PipelineState.FAILED,
                            restart ? PipelineStore.RUNNING : PipelineStore.STOPPED);
                    LOG.error(
                            "Pipeline {} failed [{}]: {}{}",
                            name,
                            error.code(),
                            error.getMessage(),
                            decision.note());
                }
            }
        }
        if (restart) {
            restarter.schedule(() -> restart(name), decision.delayMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private record RestartPolicyDecision(boolean restart, long delayMillis, String note) {}

    private RestartPolicyDecision restartDecision(PipelineStore.Row row) {
        RestartPolicy policy = specs.fromJson(row.specJson()).restart();
        if (!policy.onFailure() || shuttingDown) {
            return new RestartPolicyDecision(false, 0, "");
        }
        int done = restarts.getOrDefault(row.name(), 0);
        if (done >= policy.maxAttempts()) {
            return new RestartPolicyDecision(
                    false,
                    0,
                    " (gave up after " + done + " automatic restarts; start it when fixed)");
        }
        restarts.put(row.name(), done + 1);
        return new RestartPolicyDecision(
                true,
                policy.delay().toMillis(),
                " (restart "
                        + (done + 1)
                        + " of "
                        + policy.maxAttempts()
                        + " in "
                        + policy.delay().toSeconds()
                        + " s)");
    }

    private void restart(String name) {
        if (shuttingDown) {
            return;
        }
        Optional<PipelineStore.Row> row = store.find(name);
        if (row.isEmpty() || !row.get().desiredState().equals(PipelineStore.RUNNING)) {
            return;
        }
        try {
            start(name, Cause.RESTART, null);
        } catch (SiphonException e) {
            LOG.error("Pipeline {} could not be restarted: {}", name, e.getMessage());
            store.setError(name, e.code().name(), e.getMessage());
            store.setState(name, PipelineState.FAILED, PipelineStore.STOPPED);
        }
    }

    /** Stops every pipeline cleanly; those that should run resume at the server's next start. */
    @PreDestroy
    void shutdown() {
        shuttingDown = true;
        restarter.shutdownNow();
        List<Active> running = new ArrayList<>(active.values());
        running.forEach(a -> a.run().stop());
        running.forEach(a -> joinQuietly(a.watcher()));
    }

    private void requireNotRunning(String name, String what) {
        if (active.containsKey(name)) {
            throw new SiphonException(
                    ErrorCode.STATE_CONFLICT,
                    "pipeline '" + name + "' is running and cannot be " + what + "; stop it first");
        }
    }

    private PipelineView view(PipelineStore.Row row) {
        return new PipelineView(
                row.name(),
                state(row, livePhase(row.name())),
                row.desiredState(),
                specs.fromJson(row.specJson()).spec(),
                row.createdAt(),
                row.updatedAt(),
                row.createdBy(),
                error(row));
    }

    /** The phase of the pipeline's run in this server, or null when it does not run here. */
    private RunPhase livePhase(String name) {
        Active a = active.get(name);
        if (a == null) {
            return null;
        }
        List<RunProgress> flows = a.run().runs().stream().map(PipelineRun::progress).toList();
        return combined(name, flows).phase();
    }

    /** The state to show: the live run's phase when it runs here, else the stored state. */
    private static PipelineState state(PipelineStore.Row row, RunPhase livePhase) {
        if (livePhase == null) {
            // A row says RUNNING with no run here only between a start and its first record.
            return row.state() == PipelineState.RUNNING ? PipelineState.STARTING : row.state();
        }
        return switch (livePhase) {
            case STARTING, CHECKING, PLANNING -> PipelineState.STARTING;
            case SNAPSHOTTING, STREAMING -> PipelineState.RUNNING;
            case COMPLETED -> PipelineState.COMPLETED;
            case STOPPED -> PipelineState.STOPPED;
            case FAILED -> PipelineState.FAILED;
        };
    }

    private static ErrorView error(PipelineStore.Row row) {
        return ErrorView.of(row.errorCode(), row.errorMessage(), row.errorAt());
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
