package io.siphon.server.pipeline;

import io.siphon.engine.PipelineRun;
import io.siphon.engine.Preview;
import io.siphon.engine.RunPhase;
import io.siphon.engine.RunProgress;
import io.siphon.engine.RunResult;
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

    private record Active(PipelineRun run, long runId, Thread watcher) {}

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
     * Replaces a stopped pipeline's spec.
     *
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} while it runs
     */
    public PipelineView update(String name, String body) {
        synchronized (lock(name)) {
            store.get(name);
            requireNotRunning(name, "changed");
            PipelineDefinition d = specs.read(body, name);
            store.updateSpec(d, specs.toJson(d));
            return get(name);
        }
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
            try {
                engine.drop(specs.resolve(specs.fromJson(row.specJson())), false);
            } catch (SiphonException e) {
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
                        "Pipeline {} deleted by force; its stream objects at the source may"
                                + " remain: {}",
                        name,
                        e.getMessage());
            }
            store.delete(name);
            restarts.remove(name);
            LOG.info("Pipeline {} deleted", name);
        }
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
            engine.resnapshot(specs.resolve(specs.fromJson(row.specJson())));
            LOG.info("Pipeline {} will copy its tables again at its next start", name);
            return get(name);
        }
    }

    /**
     * Asks a pipeline to copy some tables again while it streams (per-table re-snapshot): recorded
     * in the engine's state store, where the pipeline's stream picks it up now if it runs, or when
     * it next starts.
     */
    public PipelineView resnapshotTables(String name, List<String> tables) {
        synchronized (lock(name)) {
            PipelineStore.Row row = store.get(name);
            PipelineSpec spec = specs.resolve(specs.fromJson(row.specJson()));
            List<TableId> added = TableResnapshotRequest.record(engine.state(), spec, tables);
            LOG.info("Pipeline {}: re-snapshot of {} requested", name, added);
            return get(name);
        }
    }

    /** Checks a stored pipeline's spec and connections without moving data. */
    public ValidationReport validate(String name) {
        return engine.validate(specs.resolve(specs.fromJson(store.get(name).specJson())));
    }

    /** Checks a spec body and its connections without storing it or moving data. */
    public ValidationReport validateSpec(String body) {
        return engine.validate(specs.resolve(specs.read(body, null)));
    }

    /**
     * Runs a spec body's transforms over the first {@code limit} rows of one source table and
     * returns the rows leaving each node; stores nothing and writes nothing. The spec is resolved
     * like any other (its connections' options, never overridden where they say where to connect).
     */
    public List<Preview.NodeRows> preview(String body, String table, int limit) {
        PipelineDefinition definition = specs.read(body, null);
        PipelineSpec spec = specs.resolve(definition);
        AuditLog.note(
                "preview of "
                        + table
                        + " ("
                        + limit
                        + " rows) from connection "
                        + definition.sourceConnection());
        PipelineGraph graph = PipelineGraph.linear(spec);
        return Preview.run(graph, graph.flows().get(0), table, limit);
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
        if (a != null) {
            RunProgress live = a.run().progress();
            return StatusView.of(name, state(row, live.phase()), live, error(row));
        }
        RunProgress last =
                StatusFile.read(engine.state().directory(), name)
                        .map(StatusFile.Status::progress)
                        .orElse(null);
        return StatusView.of(name, state(row, null), last, error(row));
    }

    /** The runs of a pipeline, newest first. */
    public List<RunView> runs(String name, int limit) {
        store.get(name);
        return store.runs(name, limit);
    }

    /** The progress of every running pipeline, for metrics and health. */
    public Map<String, RunProgress> running() {
        Map<String, RunProgress> out = new java.util.TreeMap<>();
        active.forEach((name, a) -> out.put(name, a.run().progress()));
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
            PipelineSpec spec = specs.resolve(specs.fromJson(row.specJson()));
            PipelineRun run = engine.start(spec);
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

    private void watch(String name, PipelineRun run, long runId) {
        RunResult result = run.await();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("pipeline", name)) {
            ended(name, runId, result);
        } catch (RuntimeException e) {
            LOG.error("Could not record the end of pipeline {}'s run", name, e);
        }
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
        return a == null ? null : a.run().progress().phase();
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
