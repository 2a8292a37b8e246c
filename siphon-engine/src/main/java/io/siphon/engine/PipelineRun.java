package io.siphon.engine;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.DAG;
import io.siphon.engine.jet.RunCounters;
import io.siphon.engine.jet.SnapshotDag;
import io.siphon.engine.jet.SnapshotJob;
import io.siphon.engine.jet.StreamDag;
import io.siphon.engine.jet.StreamJob;
import io.siphon.engine.spec.Mode;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.state.ChunkRecord;
import io.siphon.engine.state.ChunkStatus;
import io.siphon.engine.state.StateStore;
import io.siphon.engine.transform.Chains;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.ReadPoint;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.StreamStart;
import io.siphon.spi.TableFilter;
import io.siphon.spi.UnstreamableTable;
import io.siphon.spi.WriteMode;
import io.siphon.spi.transform.TransformChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run of a pipeline, driven on its own thread: check both sides, prepare target tables,
 * snapshot (planning or reloading chunks), then stream changes when the mode says so, and record
 * the outcome. Retriable failures are retried with capped exponential backoff: a snapshot resumes
 * from the chunks not yet done, a stream from its last stored position.
 */
public final class PipelineRun {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration HEALTHY_STREAM = Duration.ofMinutes(1);

    private final PipelineSpec spec;
    private final HazelcastInstance hazelcast;
    private final StateStore state;
    private final Consumer<PipelineRun> onEnd;
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final CompletableFuture<Void> targetsPrepared = new CompletableFuture<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final long startNanos = System.nanoTime();

    private volatile RunPhase phase = RunPhase.STARTING;
    private volatile List<TablePlan> plans = List.of();
    private volatile RunCounters counters;
    private volatile String runKey;
    private volatile Job job;
    private volatile boolean newTablesFound;

    /** What the status file last said, times left out (see {@link #writeStatus}). */
    private List<Object> lastStatus;

    /** The target of each source table in this attempt (driver thread only). */
    private Map<TableId, TableId> routes = Map.of();

    /** Tables named as not streamable in this run, so each is named once (driver thread only). */
    private final java.util.Set<TableId> warnedUnstreamable = new java.util.HashSet<>();

    /** A table in this run: names, chunk totals and what earlier runs already did. */
    private record TablePlan(
            TableId source,
            TableId target,
            int chunksTotal,
            int chunksDoneBefore,
            long rowsBefore,
            long rowsEstimated) {

        static TablePlan streamOnly(TableId source, TableId target) {
            return new TablePlan(source, target, 0, 0, 0, 0);
        }
    }

    PipelineRun(
            PipelineSpec spec,
            HazelcastInstance hazelcast,
            StateStore state,
            Consumer<PipelineRun> onEnd) {
        this.spec = spec;
        this.hazelcast = hazelcast;
        this.state = state;
        this.onEnd = onEnd;
    }

    void startDriver() {
        Thread driver = new Thread(this::drive, "siphon-driver-" + spec.name());
        driver.setDaemon(false);
        driver.start();
    }

    /** The pipeline's name. */
    public String pipeline() {
        return spec.name();
    }

    /** A consistent snapshot of the run's progress; cheap, safe from any thread. */
    public RunProgress progress() {
        return new RunProgress(
                spec.name(), phase, tableProgress(), elapsed(), streamProgress(counters));
    }

    /**
     * Completes once this run has created or checked its target tables, or has ended without: when
     * another flow of a graph writes the same targets, it starts after this, so that the two never
     * race to create one table.
     */
    public CompletableFuture<Void> targetsPrepared() {
        return targetsPrepared;
    }

    /** Blocks until the run ends and returns how it ended. */
    public RunResult await() {
        return result.join();
    }

    /**
     * Asks the run to stop cleanly and returns at once; {@link #await()} waits for it. A snapshot
     * resumes with its unfinished chunks on the next run, a stream from its stored position.
     */
    public void stop() {
        stopRequested.countDown();
        Job running = job;
        if (running != null) {
            try {
                running.cancel();
            } catch (IllegalStateException alreadyDone) {
                // The job ended on its own meanwhile; the driver records how.
            }
        }
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void drive() {
        MDC.put("pipeline", spec.name());
        long runId = 0;
        try {
            phase = RunPhase.CHECKING;
            runId = state.startRun(spec.name(), 0);
            runKey = spec.name() + "#" + runId + "#" + System.nanoTime();
            counters = RunCounters.register(runKey);
            LOG.info("Run {} of pipeline {} started ({})", runId, spec.name(), spec.mode().text());
            RunStatus status = runWithRetries(runId);
            finish(runId, status, null);
        } catch (Throwable t) {
            SiphonException error = Errors.unwrap(t);
            LOG.error("Pipeline {} failed: {}", spec.name(), error.toString(), t);
            finish(runId, RunStatus.FAILED, error);
        } finally {
            MDC.clear();
        }
    }

    /**
     * The snapshot this attempt works on, 0 for none: an unfinished one is resumed; a streaming
     * pipeline with a stored position needs one only for tables no completed snapshot copied
     * (tables that appeared since), and none at all when its source can copy them while the stream
     * runs: they are then asked for as table copies (per-table re-snapshots), and the other tables
     * go on streaming meanwhile.
     */
    private long snapshotFor(Connector source, List<TableSchema> tables) {
        if (spec.mode() == Mode.CDC) {
            return 0;
        }
        Optional<Long> unfinished = state.unfinishedSnapshot(spec.name());
        if (unfinished.isPresent()) {
            return unfinished.get();
        }
        if (spec.mode() == Mode.SNAPSHOT_CDC && state.offset(spec.name()).isPresent()) {
            List<TableSchema> fresh = tablesToSnapshot(tables);
            if (fresh.isEmpty()) {
                return 0;
            }
            if (source.capabilities().contains(Capability.WATERMARKS)) {
                for (TableSchema table : fresh) {
                    state.requestTableCopy(spec.name(), table.id(), "new table");
                }
                LOG.info(
                        "New tables {} of pipeline {} are copied while the stream runs",
                        fresh.stream().map(TableSchema::id).toList(),
                        spec.name());
                return 0;
            }
        }
        return state.newSnapshot(spec.name());
    }

    /**
     * The tables a snapshot of this pipeline copies: all of them for a snapshot pipeline (each run
     * copies again); for a streaming one those no completed snapshot has copied yet.
     */
    private List<TableSchema> tablesToSnapshot(List<TableSchema> tables) {
        if (spec.mode() == Mode.SNAPSHOT) {
            return tables;
        }
        java.util.Set<TableId> copied = state.snapshottedTables(spec.name());
        return tables.stream().filter(t -> !copied.contains(t.id())).toList();
    }

    private RunStatus runWithRetries(long runId) throws InterruptedException {
        // Sticky: a retry starts in CHECKING, and a source still down then must not count as a
        // failed snapshot that gives up after a few attempts.
        boolean streamed = false;
        for (int attempt = 1; ; attempt++) {
            long attemptStart = System.nanoTime();
            try {
                RunStatus status = attempt(runId);
                if (status == RunStatus.STOPPED && newTablesFound && !stopping()) {
                    // Not a stop: the stream ended so that new tables can be snapshotted.
                    newTablesFound = false;
                    attempt = 0;
                    continue;
                }
                return status;
            } catch (SiphonException e) {
                if (phase == RunPhase.STREAMING
                        && System.nanoTime() - attemptStart > HEALTHY_STREAM.toNanos()) {
                    attempt = 1;
                }
                streamed |= phase == RunPhase.STREAMING;
                // A stream keeps retrying a lost connection for as long as it takes; a snapshot
                // gives up after a few attempts (its done chunks are kept either way).
                if (!e.retriable() || stopping() || (!streamed && attempt >= MAX_ATTEMPTS)) {
                    throw e;
                }
                Duration backoff = backoff(attempt);
                LOG.warn(
                        "Attempt {} of pipeline {} failed with {}; retrying in {} s ({})",
                        attempt,
                        spec.name(),
                        e.toString(),
                        backoff.toSeconds(),
                        streamed
                                ? "the stream resumes from its stored position"
                                : "chunks done so far are kept");
                if (stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return RunStatus.STOPPED;
                }
            }
        }
    }

    static Duration backoff(int attempt) {
        Duration d = Duration.ofSeconds(1L << Math.min(attempt - 1, 10));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private RunStatus attempt(long runId) {
        ConnectorRegistry registry = ConnectorRegistry.installed();
        try (Connector source = registry.create(spec.source().type(), spec.source().config());
                Connector sink = registry.create(spec.sink().type(), spec.sink().config())) {
            phase = RunPhase.CHECKING;
            Map<TableId, TableSchema> history = schemaHistory();
            List<TableSchema> tables =
                    streamable(
                            source,
                            Validation.checkAndDiscover(spec, source, sink, history.keySet()));
            if (stopping()) {
                return RunStatus.STOPPED;
            }
            phase = RunPhase.PLANNING;
            // The tables a snapshot of this run copies (see snapshotFor), whose history is moot.
            java.util.Set<TableId> snapshotting =
                    spec.mode() == Mode.CDC
                            ? java.util.Set.of()
                            : tablesToSnapshot(tables).stream()
                                    .map(TableSchema::id)
                                    .collect(java.util.stream.Collectors.toSet());
            java.util.Set<TableId> asOfOffset = new java.util.HashSet<>();
            Map<TableId, TableSchema> sourceSchemas = new LinkedHashMap<>();
            Map<TableId, TableId> targets = new LinkedHashMap<>();
            Map<TableId, TableSchema> targetSchemas = new LinkedHashMap<>();
            Map<TableId, WriteMode> modes = new LinkedHashMap<>();
            Map<TableId, PreparedTable> preparedTargets = new LinkedHashMap<>();
            List<TablePlan> streamPlans = new ArrayList<>();
            Chains chains = Chains.of(spec.transforms(), spec.sink());
            for (TableSchema current : tables) {
                TableSchema table = current;
                // A table being snapshotted is read, and then streamed, as it is now.
                TableSchema past = history.get(current.id());
                boolean fromHistory = past != null && !snapshotting.contains(current.id());
                TransformChain chain = chains.bind(fromHistory ? past : current);
                TableId target = chains.targetOf(chain);
                PreparedTable prepared = preparedTargets.get(target);
                if (prepared != null) {
                    // A second table routed into the same target: its rows must fit it.
                    checkSharedTarget(target, prepared.schema(), chain);
                    if (fromHistory) {
                        table = past;
                        asOfOffset.add(past.id());
                    }
                } else if (fromHistory) {
                    Resumed resumed = prepareFromHistory(sink, chains, past, current, target);
                    table = resumed.source();
                    prepared = resumed.prepared();
                    if (table == past) {
                        asOfOffset.add(table.id());
                    }
                } else {
                    prepared =
                            sink.sink()
                                    .prepareTable(
                                            chain.outputSchema(), target, spec.source().type());
                }
                preparedTargets.putIfAbsent(target, prepared);
                sourceSchemas.put(table.id(), table);
                targets.put(table.id(), target);
                targetSchemas.put(target, prepared.schema());
                streamPlans.add(TablePlan.streamOnly(table.id(), target));
            }
            Map<TableId, Long> sourcesPerTarget =
                    targets.values().stream()
                            .collect(
                                    java.util.stream.Collectors.groupingBy(
                                            t -> t, java.util.stream.Collectors.counting()));
            for (Map.Entry<TableId, PreparedTable> e : preparedTargets.entrySet()) {
                // Appending is safe only into an empty table: anything there could be a row
                // that a crashed earlier run already wrote; and only from one source table,
                // since two tables routed into one target may bring the same key.
                // Nor when another flow of the graph writes the same targets (a union).
                boolean append =
                        e.getValue().empty()
                                && sourcesPerTarget.get(e.getKey()) == 1
                                && !spec.sharedTargets();
                modes.put(e.getKey(), append ? WriteMode.BULK_APPEND : WriteMode.UPSERT);
                LOG.info(
                        "Target {} <- {}: {}{}",
                        e.getKey(),
                        targets.entrySet().stream()
                                .filter(t -> t.getValue().equals(e.getKey()))
                                .map(Map.Entry::getKey)
                                .toList(),
                        e.getValue().created() ? "created, " : "",
                        append ? "bulk load" : "upsert (target not empty or shared)");
            }
            routes = Map.copyOf(targets);
            targetsPrepared.complete(null);
            long snapshotId = snapshotFor(source, tables);
            plans = List.copyOf(streamPlans);
            StreamStart start = null;
            if (spec.mode() != Mode.SNAPSHOT) {
                start = prepareStream(source, tables, snapshotId);
            }
            try (ReadPoint handoff = start == null ? null : start.snapshot()) {
                if (snapshotId > 0) {
                    RunStatus status =
                            snapshot(
                                    snapshotId,
                                    runId,
                                    source,
                                    tablesToSnapshot(tables),
                                    sourceSchemas,
                                    targets,
                                    targetSchemas,
                                    modes,
                                    handoff,
                                    handoff == null ? null : start.start());
                    if (status != RunStatus.COMPLETED || spec.mode() == Mode.SNAPSHOT) {
                        return status;
                    }
                }
            }
            if (stopping()) {
                return RunStatus.STOPPED;
            }
            return stream(source, sourceSchemas, targets, targetSchemas, asOfOffset);
        }
    }

    /** A table the stream resumes: the schema it starts from, and its prepared target. */
    private record Resumed(TableSchema source, PreparedTable prepared) {}

    /**
     * Prepares the target of a table the stream resumes, with its schema as of the stored position
     * from the schema history rather than the catalog's: changes made since (while stopped, or
     * while starting) then come through the stream in order, as if made while it streamed.
     *
     * <p>The stored position lags what the target has by up to a checkpoint, so a column dropped or
     * renamed at the source just before the last run ended may be gone from the target already.
     * When the target does not fit the history but fits the source's catalog, the table starts from
     * the catalog instead, as a table without history does (the stream maps older changes onto it);
     * when it fits neither, it was changed by hand, and the history's error, with the statement to
     * run, stops the run.
     */
    private Resumed prepareFromHistory(
            Connector sink,
            Chains chains,
            TableSchema history,
            TableSchema current,
            TableId target) {
        try {
            return new Resumed(
                    history,
                    sink.sink()
                            .prepareTable(
                                    chains.bind(history).outputSchema(),
                                    target,
                                    spec.source().type()));
        } catch (SiphonException mismatch) {
            if (mismatch.code() != ErrorCode.SCHEMA_MISMATCH) {
                throw mismatch;
            }
            PreparedTable prepared;
            try {
                prepared =
                        sink.sink()
                                .prepareTable(
                                        chains.bind(current).outputSchema(),
                                        target,
                                        spec.source().type());
            } catch (SiphonException alsoMismatch) {
                throw mismatch;
            }
            LOG.info(
                    "Target {} already has schema changes of {} from after the stored position"
                            + " (the last run ended before storing a later one); the table resumes"
                            + " from the source's current schema",
                    target,
                    current.id());
            return new Resumed(current, prepared);
        }
    }

    /**
     * Checks that a table routed into a target another table already fills gives rows of the same
     * shape; otherwise the second table's rows would fail at the target, or fill the wrong columns.
     */
    private static void checkSharedTarget(
            TableId target, TableSchema prepared, TransformChain chain) {
        List<String> have = prepared.columnNames();
        List<String> bring = chain.outputSchema().columnNames();
        if (!have.equals(bring)
                || !prepared.primaryKey().equals(chain.outputSchema().primaryKey())) {
            throw new SiphonException(
                    ErrorCode.TRANSFORM_INVALID,
                    "table "
                            + chain.inputSchema().id()
                            + " is routed into "
                            + target
                            + ", which other tables fill with columns "
                            + have
                            + " and key "
                            + prepared.primaryKey()
                            + ", but its rows have columns "
                            + bring
                            + " and key "
                            + chain.outputSchema().primaryKey()
                            + " after the transforms; give them the same columns and key with"
                            + " drop, keep, rename or cast before the route");
        }
    }

    /**
     * The schema history stored with the pipeline's stream position: each table's schema as of that
     * position; empty for a pipeline that does not stream or has no position yet.
     */
    private Map<TableId, TableSchema> schemaHistory() {
        Map<TableId, TableSchema> history = storedHistory(state, spec);
        if (!history.isEmpty()) {
            LOG.info(
                    "Pipeline {} resumes {} tables with their schemas as of its stored position",
                    spec.name(),
                    history.size());
        }
        return history;
    }

    /**
     * The schema of each table as of the pipeline's stored stream position; empty when it has none
     * (never streamed, or snapshot only).
     */
    static Map<TableId, TableSchema> storedHistory(StateStore state, PipelineSpec spec) {
        if (spec.mode() == Mode.SNAPSHOT || state.offset(spec.name()).isEmpty()) {
            return Map.of();
        }
        return state.schemaHistory(spec.name());
    }

    /**
     * Creates the stream at the source if needed and makes sure a start position is stored before
     * any snapshot row is written, so that a crash at any later point resumes the stream from a
     * position no later than the snapshot's.
     */
    @SuppressWarnings("unchecked")
    private StreamStart prepareStream(Connector source, List<TableSchema> tables, long snapshotId) {
        OffsetCodec<Offset> codec = (OffsetCodec<Offset>) source.streamSource().offsetCodec();
        Offset stored = state.offset(spec.name()).map(codec::fromJson).orElse(null);
        boolean wantsHandoff = snapshotId > 0 && stored == null;
        StreamStart start =
                source.streamSource()
                        .prepare(
                                spec.name(),
                                state.instanceToken(spec.name()),
                                tables,
                                stored,
                                wantsHandoff);
        if (stored == null) {
            state.saveOffset(spec.name(), spec.source().type(), codec.toJson(start.start()));
            LOG.info("Stream of {} starts at {}", spec.name(), start.start().describe());
        }
        return start;
    }

    private RunStatus snapshot(
            long snapshotId,
            long runId,
            Connector source,
            List<TableSchema> tables,
            Map<TableId, TableSchema> sourceSchemas,
            Map<TableId, TableId> targets,
            Map<TableId, TableSchema> targetSchemas,
            Map<TableId, WriteMode> modes,
            ReadPoint handoff,
            Offset handoffPosition) {
        List<SnapshotSplit> pending = planChunks(snapshotId, source, tables);
        if (handoff == null && spec.mode() == Mode.SNAPSHOT_CDC) {
            pending = handOverKeyless(snapshotId, source, tables, pending);
        }
        if (pending.isEmpty()) {
            state.completeSnapshot(snapshotId);
            return RunStatus.COMPLETED;
        }
        if (stopping()) {
            return RunStatus.STOPPED;
        }
        phase = RunPhase.SNAPSHOTTING;
        // The stream's own read point when it was created just now: the snapshot then ends
        // exactly where the stream begins. Otherwise a fresh point; replaying the stream from
        // its stored position over it still ends exact, because upserts are idempotent.
        try (ReadPoint fresh = handoff == null ? source.snapshotSource().openReadPoint() : null) {
            ReadPoint readPoint = handoff != null ? handoff : fresh;
            SnapshotJob snapshotJob =
                    new SnapshotJob(
                            spec.name(),
                            runKey,
                            state.directory().toString(),
                            snapshotId,
                            runId,
                            spec.source(),
                            spec.sink(),
                            spec.transforms(),
                            sourceSchemas,
                            targets,
                            targetSchemas,
                            modes,
                            pending,
                            readPoint.token(),
                            handoffPosition,
                            spec.batchRows());
            // Jobs stay unnamed: Hazelcast refuses a named job until its first scan of existing
            // jobs has run (to check the name is unique), which races with a freshly started
            // member and logs retry warnings. Our logs name the pipeline through the MDC.
            JobConfig config = new JobConfig().setProcessingGuarantee(ProcessingGuarantee.NONE);
            RunStatus status = join(SnapshotDag.build(snapshotJob, spec.parallelism()), config);
            if (status != RunStatus.COMPLETED) {
                return status;
            }
        }
        boolean allDone =
                state.chunks(spec.name(), snapshotId).stream()
                        .allMatch(c -> c.status() != ChunkStatus.PENDING);
        if (!allDone) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "the snapshot job of "
                            + spec.name()
                            + " ended but some chunks are not done; run it again to resume");
        }
        state.completeSnapshot(snapshotId);
        LOG.info("Snapshot of pipeline {} complete", spec.name());
        return RunStatus.COMPLETED;
    }

    /**
     * Takes the unfinished chunks of tables without a key out of a snapshot that reads at a new
     * point (resumed after a crash or a failed attempt), and has each such table copied whole
     * between watermarks once the stream runs; returns the chunks the snapshot still reads.
     *
     * <p>The stream replays from its stored start, which is earlier than a new read point: a change
     * made in between to a row of an unfinished chunk would reach the target twice, in the chunk
     * and from the stream. A table with a key absorbs that (the upsert of its key); a keyless one
     * would gain an inserted row twice, or lose one of its identical rows to a delete. A table copy
     * empties the table in stream order at its low watermark and reads it whole between the
     * watermarks, with the table's writers held off, so its rows are exactly the table at that
     * point of the stream and every change after it applies once. Sources that cannot copy while
     * streaming read the chunks as before (a documented limit).
     */
    private List<SnapshotSplit> handOverKeyless(
            long snapshotId,
            Connector source,
            List<TableSchema> tables,
            List<SnapshotSplit> pending) {
        if (!source.capabilities().contains(Capability.WATERMARKS)) {
            return pending;
        }
        java.util.Set<TableId> keyless = new java.util.HashSet<>();
        for (TableSchema table : tables) {
            if (!table.hasPrimaryKey()
                    && pending.stream().anyMatch(s -> s.table().equals(table.id()))) {
                keyless.add(table.id());
            }
        }
        for (TableId table : keyless) {
            state.handOverToTableCopy(spec.name(), snapshotId, table, "snapshot resumed");
            LOG.info(
                    "Table {} has no key and its snapshot resumes at a new read point: it is copied"
                            + " whole between watermarks once the stream runs, instead of reading"
                            + " its remaining chunks now",
                    table);
        }
        return pending.stream().filter(s -> !keyless.contains(s.table())).toList();
    }

    private RunStatus stream(
            Connector source,
            Map<TableId, TableSchema> sourceSchemas,
            Map<TableId, TableId> targets,
            Map<TableId, TableSchema> targetSchemas,
            java.util.Set<TableId> asOfOffset) {
        phase = RunPhase.STREAMING;
        StreamJob streamJob =
                new StreamJob(
                        spec.name(),
                        runKey,
                        state.directory().toString(),
                        spec.source(),
                        spec.sink(),
                        spec.transforms(),
                        sourceSchemas,
                        targets,
                        targetSchemas,
                        state.offset(spec.name()).orElseThrow(),
                        asOfOffset,
                        spec.schemaChanges(),
                        spec.flushInterval().toMillis(),
                        spec.chunkRows(),
                        spec.sharedTargets(),
                        source.streamSource().parts());
        JobConfig config =
                new JobConfig()
                        .setProcessingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE)
                        .setSnapshotIntervalMillis(spec.checkpointInterval().toMillis());
        TableFilter filter = Validation.tableFilter(spec.source().config());
        return join(
                StreamDag.build(streamJob, spec.parallelism()),
                config,
                () -> newTablesAppeared(source, filter, sourceSchemas.keySet()));
    }

    /**
     * The tables a streaming pipeline takes: those its stream can carry. A table it cannot carry
     * yet (not in a publication the user manages) is left out, neither copied nor streamed, so it
     * never goes stale at the target; it is named once per run with its fix, and taken once the fix
     * is made (the stream's discovery finds it then).
     */
    private List<TableSchema> streamable(Connector source, List<TableSchema> tables) {
        if (spec.mode() == Mode.SNAPSHOT) {
            return tables;
        }
        java.util.Set<TableId> left = new java.util.HashSet<>();
        for (UnstreamableTable u :
                source.streamSource()
                        .unstreamable(spec.name(), tables.stream().map(TableSchema::id).toList())) {
            left.add(u.table());
            if (warnedUnstreamable.add(u.table())) {
                LOG.warn("{} until then pipeline {} leaves it out", u, spec.name());
            }
        }
        warnedUnstreamable.retainAll(left);
        return tables.stream().filter(t -> !left.contains(t.id())).toList();
    }

    /**
     * Whether the source now has tables matching the pipeline that the stream does not carry. Asked
     * on the driver thread every discovery interval while the stream runs; a source that cannot be
     * asked right now is asked again next time (the stream reports its own failures).
     */
    private boolean newTablesAppeared(
            Connector source, TableFilter filter, java.util.Set<TableId> streamed) {
        try {
            List<TableId> found =
                    streamable(
                                    source,
                                    source.discover(filter).stream()
                                            .filter(t -> !streamed.contains(t.id()))
                                            .toList())
                            .stream()
                            .map(TableSchema::id)
                            .toList();
            if (!found.isEmpty()) {
                LOG.info(
                        "New tables {} match pipeline {}: snapshotting them, then streaming"
                                + " on",
                        found,
                        spec.name());
                newTablesFound = true;
            }
            return !found.isEmpty();
        } catch (SiphonException e) {
            LOG.warn("Could not look for new tables of {}: {}", spec.name(), e.toString());
            return false;
        }
    }

    /** Runs a Jet job to its end: COMPLETED, or STOPPED when cancelled on request. */
    private RunStatus join(DAG dag, JobConfig config) {
        return join(dag, config, () -> false);
    }

    /**
     * Runs a Jet job to its end; while it runs, asks {@code endEarly} every discovery interval and
     * cancels the job when it answers true (the run then goes on with a new attempt).
     */
    private RunStatus join(DAG dag, JobConfig config, java.util.function.BooleanSupplier endEarly) {
        job = hazelcast.getJet().newJob(dag, config);
        if (stopping()) {
            job.cancel();
        }
        long every = spec.discoveryInterval().toMillis();
        try {
            while (true) {
                try {
                    job.getFuture().get(every > 0 ? every : Long.MAX_VALUE, TimeUnit.MILLISECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    if (!stopping() && endEarly.getAsBoolean()) {
                        job.cancel();
                    }
                }
            }
        } catch (CancellationException e) {
            return RunStatus.STOPPED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel();
            return RunStatus.STOPPED;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof CancellationException) {
                return RunStatus.STOPPED;
            }
            if (stopping() && Errors.unwrap(e).code() == ErrorCode.INTERNAL_ERROR) {
                return RunStatus.STOPPED;
            }
            throw Errors.unwrap(e);
        }
        return stopping() ? RunStatus.STOPPED : RunStatus.COMPLETED;
    }

    /** Plans chunks for tables this snapshot has not planned yet; returns the chunks not done. */
    private List<SnapshotSplit> planChunks(
            long snapshotId, Connector source, List<TableSchema> tables) {
        Map<TableId, List<ChunkRecord>> known = new LinkedHashMap<>();
        for (ChunkRecord c : state.chunks(spec.name(), snapshotId)) {
            known.computeIfAbsent(c.table(), t -> new ArrayList<>()).add(c);
        }
        List<SnapshotSplit> pending = new ArrayList<>();
        List<TablePlan> newPlans = new ArrayList<>();
        for (TableSchema table : tables) {
            List<ChunkRecord> chunks = known.get(table.id());
            if (chunks == null) {
                List<SnapshotSplit> splits =
                        source.snapshotSource().planSplits(table, spec.chunkRows());
                state.addChunks(snapshotId, splits);
                chunks =
                        state.chunks(spec.name(), snapshotId).stream()
                                .filter(c -> c.table().equals(table.id()))
                                .toList();
            }
            int doneBefore = 0;
            long rowsBefore = 0;
            long estimated = 0;
            for (ChunkRecord c : chunks) {
                estimated += c.split().estimatedRows();
                if (c.status() != ChunkStatus.PENDING) {
                    doneBefore++;
                    rowsBefore += c.rowsWritten();
                } else {
                    pending.add(c.split());
                }
            }
            newPlans.add(
                    new TablePlan(
                            table.id(),
                            routes.getOrDefault(table.id(), spec.sink().targetOf(table.id())),
                            chunks.size(),
                            doneBefore,
                            rowsBefore,
                            estimated));
            if (doneBefore > 0) {
                LOG.info(
                        "Table {}: resuming, {} of {} chunks already done",
                        table.id(),
                        doneBefore,
                        chunks.size());
            }
        }
        // Tables this snapshot does not copy keep their stream-only entries.
        Map<TableId, TablePlan> merged = new LinkedHashMap<>();
        plans.forEach(p -> merged.put(p.source(), p));
        newPlans.forEach(p -> merged.put(p.source(), p));
        plans = List.copyOf(merged.values());
        return pending;
    }

    private List<TableProgress> tableProgress() {
        RunCounters c = counters;
        List<TableProgress> out = new ArrayList<>();
        for (TablePlan p : plans) {
            int doneNow = c == null ? 0 : c.chunksDone(p.source());
            long rowsNow = c == null ? 0 : c.rows(p.source());
            int done = p.chunksDoneBefore() + doneNow;
            // Before planning ends every table holds a stream-only placeholder (no chunks), which
            // must not read as "snapshot done" to someone polling the progress.
            boolean planned =
                    phase != RunPhase.STARTING
                            && phase != RunPhase.CHECKING
                            && phase != RunPhase.PLANNING;
            boolean snapshotDone =
                    (planned && done >= p.chunksTotal()) || phase == RunPhase.COMPLETED;
            out.add(
                    new TableProgress(
                            p.source(),
                            p.target(),
                            p.chunksTotal(),
                            Math.min(done, p.chunksTotal()),
                            p.rowsEstimated(),
                            p.rowsBefore() + rowsNow,
                            p.chunksDoneBefore() > 0,
                            Duration.ofNanos(
                                    c == null ? 0 : c.activeNanos(p.source(), snapshotDone)),
                            snapshotDone,
                            c == null ? Map.of() : c.events(p.source()),
                            c == null ? null : c.resnapshot(p.source()),
                            c == null ? null : c.failure(p.source())));
        }
        return out;
    }

    private StreamProgress streamProgress(RunCounters c) {
        if (spec.mode() == Mode.SNAPSHOT || c == null) {
            return null;
        }
        return new StreamProgress(
                c.sourcePosition(),
                c.acknowledgedPosition(),
                c.eventsPerSecond(),
                c.latencyPercentile(50),
                c.latencyPercentile(99),
                c.backlogBytes());
    }

    /**
     * Writes the status file when the progress changed since it was last written, else marks it as
     * confirmed; a failure to do so is logged, never fatal to the run.
     */
    synchronized void writeStatus(SiphonException error) {
        try {
            RunProgress now = progress();
            String message = error == null ? null : error.toString();
            List<Object> written = Arrays.asList(StatusFile.withoutTimes(now), message);
            if (written.equals(lastStatus) && StatusFile.touch(state.directory(), spec.name())) {
                return;
            }
            StatusFile.write(state.directory(), now, message);
            lastStatus = written;
        } catch (SiphonException e) {
            LOG.warn("{}", e.toString());
        }
    }

    private void finish(long runId, RunStatus status, SiphonException error) {
        phase =
                switch (status) {
                    case COMPLETED -> RunPhase.COMPLETED;
                    case STOPPED -> RunPhase.STOPPED;
                    case FAILED -> RunPhase.FAILED;
                };
        List<TableProgress> tables = tableProgress();
        if (runId > 0) {
            try {
                state.endRun(
                        runId,
                        status.name(),
                        error == null ? null : error.code().name(),
                        error == null ? null : error.getMessage());
            } catch (SiphonException e) {
                LOG.error("Could not record the end of run {}: {}", runId, e.toString());
            }
        }
        if (runKey != null) {
            RunCounters.unregister(runKey);
        }
        LOG.info("Run {} of pipeline {} ended: {}", runId, spec.name(), status);
        writeStatus(error);
        // Forget the run before anyone waiting on it wakes, so an immediate rerun is accepted.
        onEnd.accept(this);
        targetsPrepared.complete(null);
        result.complete(new RunResult(spec.name(), status, tables, elapsed(), error));
    }
}
