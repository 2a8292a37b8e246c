package io.siphon.engine;

import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.siphon.engine.spec.Mode;
import io.siphon.engine.spec.PipelineGraph;
import io.siphon.engine.spec.PipelineSpec;
import io.siphon.engine.state.PipelineLock;
import io.siphon.engine.state.StateStore;
import io.siphon.engine.transform.Chains;
import io.siphon.model.ChangeEvent;
import io.siphon.model.EventMeta;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Capability;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.PreparedTable;
import io.siphon.spi.Problem;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.UnstreamableTable;
import io.siphon.spi.Usage;
import io.siphon.spi.transform.TransformChain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: an embedded one-member Hazelcast Jet cluster plus the state store of one state
 * directory. Start it, validate and run pipelines, close it:
 *
 * <pre>{@code
 * try (SiphonEngine engine = SiphonEngine.start(Path.of(".siphon"))) {
 *     RunResult result = engine.start(spec).await();
 * }
 * }</pre>
 */
public final class SiphonEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SiphonEngine.class);

    /** The longest an idle blocking Jet worker (a reader or writer) sleeps between looks. */
    private static final String IDLE_MAX_MICROS = "20000";

    /**
     * The longest an idle cooperative Jet worker sleeps between looks at its tasklets: no Siphon
     * processor is cooperative (readers, writers and the transforms fused into writers all block),
     * so the cooperative worker only idles, and waking it twice a second costs no latency.
     */
    private static final String COOPERATIVE_IDLE_MAX_MICROS = "500000";

    /**
     * How often Jet's coordinator looks through its job records (5 s by default): the look is for
     * jobs to restart after a member left, which a member that joins no cluster never has, and for
     * old job results to drop; a minute is plenty for that.
     */
    private static final String JOB_SCAN_PERIOD_MILLIS = "60000";

    /**
     * The first port the embedded member tries (then up to 200 more): on loopback only, since it
     * joins no cluster.
     */
    public static final int MEMBER_PORT = 5801;

    private final HazelcastInstance hazelcast;
    private final StateStore state;
    private final Map<String, PipelineRun> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService statusWriter =
            Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().daemon().name("siphon-status").unstarted(r));

    private SiphonEngine(HazelcastInstance hazelcast, StateStore state) {
        this.hazelcast = hazelcast;
        this.state = state;
        statusWriter.scheduleWithFixedDelay(
                () -> running.values().forEach(run -> run.writeStatus(null)),
                1,
                1,
                TimeUnit.SECONDS);
    }

    /**
     * Opens the state store under {@code stateDir} and starts an embedded Jet member that joins
     * nothing (loopback only).
     */
    public static SiphonEngine start(Path stateDir) {
        return start(stateDir, "--state-dir");
    }

    /**
     * Starts an engine as {@link #start(Path)} does, for a command whose option {@code
     * directoryOption} chose the directory ({@code --data-dir} for {@code siphon server}): its
     * messages name that option.
     */
    public static SiphonEngine start(Path stateDir, String directoryOption) {
        StateStore state = StateStore.open(stateDir, directoryOption);
        try {
            return new SiphonEngine(Hazelcast.newHazelcastInstance(memberConfig()), state);
        } catch (RuntimeException e) {
            state.close();
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "could not start the embedded Jet member: " + e.getMessage(),
                    e);
        }
    }

    private static com.hazelcast.config.Config memberConfig() {
        com.hazelcast.config.Config config = new com.hazelcast.config.Config();
        config.setClusterName("siphon-" + UUID.randomUUID());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getJetConfig().setEnabled(true);
        // Quiet when idle: Jet's workers poll their queues with a backoff that tops out at 5 ms,
        // so a streaming pipeline with nothing to do used a sixth of a core. A 20 ms ceiling
        // costs an idle stream at most that much latency on its first change and nothing under
        // load (a busy worker never backs off); idle stream writers do not back off at all but
        // sleep until their reader hands them something (WriterWakeup). The blocking readers and
        // writers have threads of their own; one cooperative worker is enough, since no Siphon
        // processor runs there.
        byDefault(
                config,
                "hazelcast.jet.idle.cooperative.max.microseconds",
                COOPERATIVE_IDLE_MAX_MICROS);
        byDefault(config, "hazelcast.jet.idle.noncooperative.max.microseconds", IDLE_MAX_MICROS);
        config.getJetConfig().setCooperativeThreadCount(1);
        // Siphon counts its own progress (RunCounters); Hazelcast's metrics collection and health
        // monitor would only wake threads every few seconds for numbers nobody reads.
        config.getMetricsConfig().setEnabled(false);
        byDefault(config, "hazelcast.health.monitoring.level", "OFF");
        byDefault(config, "hazelcast.jet.job.scan.period", JOB_SCAN_PERIOD_MILLIS);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(MEMBER_PORT).setPortAutoIncrement(true).setPortCount(200);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        return config;
    }

    /**
     * Sets a Hazelcast property unless the configuration or a JVM system property of the same name
     * ({@code -Dhazelcast.health.monitoring.level=SILENT} in {@code SIPHON_JAVA_OPTS}) sets it:
     * Siphon's choices for a member of its own are defaults, which a cluster's configuration
     * overrides.
     */
    static void byDefault(com.hazelcast.config.Config config, String name, String value) {
        // getProperty falls back to the JVM's system properties.
        if (config.getProperty(name) == null) {
            config.setProperty(name, value);
        }
    }

    /** The state store of this engine's state directory. */
    public StateStore state() {
        return state;
    }

    /**
     * The tables a stopped pipeline resumes with their schema as of its stored position: their
     * targets are checked against that schema when it runs, not against today's catalog.
     */
    private java.util.Set<TableId> resumedTables(PipelineSpec spec) {
        return PipelineRun.storedHistory(state, spec).keySet();
    }

    /**
     * Checks a pipeline without moving data: both connections, privileges, server settings and the
     * tables it would take.
     */
    public ValidationReport validate(PipelineSpec spec) {
        ConnectorRegistry registry = ConnectorRegistry.installed();
        List<TableSchema> tables = new ArrayList<>();
        List<TableFlow> flows = new ArrayList<>();
        List<Problem> problems;
        List<UnstreamableTable> unstreamable = List.of();
        List<Problem> warnings = new ArrayList<>();
        java.util.Map<TableId, List<String>> ddl = new java.util.LinkedHashMap<>();
        try (Connector source = registry.create(spec.source().type(), spec.source().config());
                Connector sink = registry.create(spec.sink().type(), spec.sink().config())) {
            problems =
                    Validation.problems(
                            spec, source, sink, tables, flows, resumedTables(spec), warnings);
            if (problems.isEmpty()) {
                for (TableFlow f : flows) {
                    if (!ddl.containsKey(f.target())) {
                        ddl.put(
                                f.target(),
                                sink.sink()
                                        .plannedStatements(
                                                f.output(), f.target(), spec.source().type()));
                    }
                }
            }
            if (problems.isEmpty() && spec.mode() != Mode.SNAPSHOT) {
                unstreamable =
                        source.streamSource()
                                .unstreamable(
                                        spec.name(), tables.stream().map(TableSchema::id).toList());
            }
        }
        return new ValidationReport(
                spec.name(),
                problems,
                tables.stream().map(TableSchema::id).toList(),
                unstreamable,
                flows,
                warnings,
                NodeOutput.ofFlows(PipelineGraph.linear(spec), List.of(flows)),
                ddl);
    }

    /**
     * The setup script of a pipeline for an administrator: what its source and target need (for
     * PostgreSQL the role, grants, publication and replica identities), so that Siphon runs without
     * a superuser. Needs no engine: connects only to list the tables when it can.
     */
    public static List<String> setupScript(PipelineSpec spec) {
        ConnectorRegistry registry = ConnectorRegistry.installed();
        List<String> out = new ArrayList<>();
        try (Connector source = registry.create(spec.source().type(), spec.source().config());
                Connector sink = registry.create(spec.sink().type(), spec.sink().config())) {
            out.addAll(
                    source.setupScript(
                            spec.mode() == Mode.SNAPSHOT ? Usage.SOURCE : Usage.STREAM_SOURCE,
                            spec.name(),
                            Validation.tableFilter(spec.source().config())));
            List<String> target =
                    sink.setupScript(
                            Usage.SINK,
                            spec.name(),
                            new io.siphon.spi.TableFilter(List.of(), List.of()));
            if (!out.isEmpty() && !target.isEmpty()) {
                out.add("");
            }
            out.addAll(target);
        }
        return out;
    }

    /**
     * Starts a run of every flow of a pipeline graph. A flow that writes the same sink as a later
     * one is started first and has prepared its targets before the later one starts, so the two
     * never race to create a table; then this returns, with every flow running.
     *
     * @throws SiphonException what {@link #start(PipelineSpec)} throws for a flow; the flows
     *     started before it are stopped again
     */
    public GraphRun start(PipelineGraph graph) {
        List<PipelineRun> runs = new ArrayList<>();
        try {
            for (PipelineGraph.Flow flow : graph.flows()) {
                PipelineRun run = start(flow.spec());
                runs.add(run);
                if (flow.spec().sharedTargets()) {
                    run.targetsPrepared().join();
                }
            }
        } catch (RuntimeException e) {
            runs.forEach(PipelineRun::stop);
            runs.forEach(PipelineRun::await);
            throw e;
        }
        return new GraphRun(graph, runs);
    }

    /** Checks every flow of a pipeline graph as {@link #validate(PipelineSpec)} does. */
    public List<ValidationReport> validate(PipelineGraph graph) {
        return graph.flows().stream().map(f -> validate(f.spec())).toList();
    }

    /**
     * Starts a run of a pipeline and returns at once. A pipeline whose last snapshot did not
     * complete resumes it. A snapshot pipeline whose snapshot completed is refused: {@link
     * #resnapshot} first.
     *
     * @throws SiphonException {@link ErrorCode#PIPELINE_ALREADY_RUNNING} when the pipeline is
     *     already running, in this engine or in another process with the same state directory
     */
    public PipelineRun start(PipelineSpec spec) {
        requireStopped(spec);
        PipelineLock lock =
                PipelineLock.acquire(state.directory(), spec.name(), state.directoryOption());
        try {
            requireIncomplete(spec);
        } catch (SiphonException e) {
            lock.close();
            throw e;
        }
        PipelineRun run =
                new PipelineRun(
                        spec,
                        hazelcast,
                        state,
                        ended -> {
                            running.remove(spec.name(), ended);
                            lock.close();
                        });
        if (running.putIfAbsent(spec.name(), run) != null) {
            lock.close();
            requireStopped(spec);
        }
        run.startDriver();
        return run;
    }

    /**
     * Prepares a pipeline to copy its tables again from scratch, after its stream position was lost
     * or when its targets must be rebuilt: drops its stream at the source (replication slot),
     * forgets its stored position and unfinished snapshot, empties its target tables (rows deleted
     * at the source meanwhile must not survive) and removes what its sink recorded there about its
     * progress. The next {@link #start} snapshots (and streams) anew.
     *
     * @throws SiphonException {@link ErrorCode#PIPELINE_ALREADY_RUNNING} while the pipeline runs
     */
    public void resnapshot(PipelineSpec spec) {
        requireStopped(spec);
        ConnectorRegistry registry = ConnectorRegistry.installed();
        try (PipelineLock lock =
                        PipelineLock.acquire(
                                state.directory(), spec.name(), state.directoryOption());
                Connector source = registry.create(spec.source().type(), spec.source().config());
                Connector sink = registry.create(spec.sink().type(), spec.sink().config())) {
            // Every target is emptied and copied again: checked against today's source.
            List<TableSchema> tables =
                    Validation.checkAndDiscover(spec, source, sink, java.util.Set.of());
            if (spec.mode() != Mode.SNAPSHOT
                    && source.capabilities().contains(Capability.STREAM_SOURCE)) {
                source.streamSource()
                        .drop(
                                spec.name(),
                                state.existingInstanceToken(spec.name()).orElse(null),
                                storedPosition(source, spec.name()),
                                false);
            }
            state.deleteOffset(spec.name());
            state.abandonSnapshots(spec.name());
            Chains chains = Chains.of(spec.transforms(), spec.sink());
            java.util.Set<TableId> emptied = new java.util.HashSet<>();
            try (SinkWriter writer = sink.sink().openWriter()) {
                for (TableSchema table : tables) {
                    TransformChain chain = chains.bind(table);
                    TableId target = chains.targetOf(chain);
                    if (!emptied.add(target)) {
                        continue;
                    }
                    PreparedTable prepared =
                            sink.sink()
                                    .prepareTable(
                                            chain.outputSchema(), target, spec.source().type());
                    writer.apply(
                            prepared.schema(),
                            List.of(new ChangeEvent.Truncate(target, EventMeta.NONE)));
                }
                writer.flush();
            }
            // The copy and the new stream start afresh: nothing of theirs is applied yet.
            forgetAtTarget(sink, spec);
            LOG.info(
                    "Pipeline {} will copy its {} tables again on its next run",
                    spec.name(),
                    tables.size());
        }
    }

    /**
     * Removes a pipeline: its stream objects at the source (replication slot and publication), what
     * its sink recorded at the target about its progress ({@code Sink.forgetPipeline}), and
     * everything the state directory holds about it. Target tables and their data are kept.
     *
     * @param force drop the stream objects at the source even when this state directory holds no
     *     position of them or they carry another state's instance token (another copy of the
     *     pipeline, with another state directory, created them) or another process streams from
     *     them
     * @throws SiphonException {@link ErrorCode#PIPELINE_ALREADY_RUNNING} while the pipeline runs;
     *     {@link ErrorCode#STATE_CONFLICT} (without {@code force}) when the stream objects at the
     *     source are not this state directory's
     */
    public void drop(PipelineSpec spec, boolean force) {
        requireStopped(spec);
        ConnectorRegistry registry = ConnectorRegistry.installed();
        try (PipelineLock lock =
                        PipelineLock.acquire(
                                state.directory(), spec.name(), state.directoryOption());
                Connector source = registry.create(spec.source().type(), spec.source().config());
                Connector sink = registry.create(spec.sink().type(), spec.sink().config())) {
            if (source.capabilities().contains(Capability.STREAM_SOURCE)) {
                source.streamSource()
                        .drop(
                                spec.name(),
                                state.existingInstanceToken(spec.name()).orElse(null),
                                storedPosition(source, spec.name()),
                                force);
            }
            // Before the state: a target that cannot be reached fails the drop, which can then be
            // run again. Left behind, a new pipeline of the same name would count its records as
            // its own and skip changes and chunks as already applied.
            forgetAtTarget(sink, spec);
            state.forget(spec.name());
            StatusFile.delete(state.directory(), spec.name());
        }
        LOG.info("Pipeline {} dropped", spec.name());
    }

    /** Removes what the sink recorded at the target about the pipeline's progress. */
    private static void forgetAtTarget(Connector sink, PipelineSpec spec) {
        if (!sink.capabilities().contains(Capability.SINK)) {
            return;
        }
        long removed = sink.sink().forgetPipeline(spec.name());
        if (removed > 0) {
            LOG.info(
                    "Removed {} records of pipeline {}'s applied positions and chunks at the target",
                    removed,
                    spec.name());
        }
    }

    /** The stream position this state directory holds for the pipeline, or null. */
    private Offset storedPosition(Connector source, String pipeline) {
        return state.offset(pipeline)
                .map(json -> (Offset) source.streamSource().offsetCodec().fromJson(json))
                .orElse(null);
    }

    /**
     * A snapshot pipeline whose snapshot completed is done: copying again over the full target
     * would keep rows deleted at the source since (upserts never delete), so a rerun must say
     * whether to copy from scratch.
     */
    private void requireIncomplete(PipelineSpec spec) {
        if (spec.mode() != Mode.SNAPSHOT) {
            return;
        }
        state.completedSnapshotAt(spec.name())
                .ifPresent(
                        at -> {
                            throw new SiphonException(
                                    ErrorCode.STATE_CONFLICT,
                                    "pipeline "
                                            + spec.name()
                                            + " completed its snapshot at "
                                            + at
                                            + "; running it again would copy over its target"
                                            + " tables and keep rows deleted at the source since."
                                            + " To copy again from scratch run it with"
                                            + " --resnapshot (which empties its target tables"
                                            + " first)");
                        });
    }

    private void requireStopped(PipelineSpec spec) {
        if (running.containsKey(spec.name())) {
            throw new SiphonException(
                    ErrorCode.PIPELINE_ALREADY_RUNNING,
                    "pipeline "
                            + spec.name()
                            + " is already running in this process with state directory "
                            + state.directory()
                            + "; stop it first");
        }
    }

    /** Stops running pipelines cleanly (they resume on their next run) and shuts down. */
    @Override
    public void close() {
        statusWriter.shutdownNow();
        for (PipelineRun run : List.copyOf(running.values())) {
            LOG.info("Stopping pipeline {}", run.pipeline());
            run.stop();
            run.await();
        }
        try {
            hazelcast.shutdown();
        } finally {
            state.close();
        }
    }
}
