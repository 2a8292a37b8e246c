package io.siphon.engine.jet;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.transform.Chains;
import io.siphon.engine.transform.OutputSchemaDiff;
import io.siphon.model.ChangeEvent;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.transform.TransformChain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Applies change batches to the sink, each batch the changes into one target table (see {@link
 * ChangeBatch}). The pipeline's transforms run here, fused into the writer: the stream has one
 * reader, which only decodes, and many writers, so the per-row work spreads over as many threads as
 * there are writers; the writer also owns the table's schema, so binding a chain again after a
 * schema change and applying the difference at the target happen on one thread, in stream order.
 *
 * <p>It commits (flushes) on every Jet snapshot barrier, so the reader may then store and
 * acknowledge the position, and in between: as soon as nothing else is queued for it when the
 * reader found the stream caught up with the source ({@link ChangeBatch#caughtUp}), so that a live
 * change waits only for the commit before it (each commit takes what came during the one before);
 * else once changes have waited {@code flushMillis}, so that a stream draining a backlog commits in
 * large transactions.
 *
 * <p>The writer is opened for the pipeline ({@link io.siphon.spi.Sink#openWriter(String)}): an
 * exactly-once sink commits with the rows the place of the last change it applied per table, and on
 * a replay after a restart skips the changes at or before it (each change carries its place in
 * {@link io.siphon.model.EventMeta#order()}); other sinks absorb the replay with idempotent writes.
 *
 * <p>A {@linkplain SinkWriter#twoPhaseCommit() two-phase} writer (Kafka's transactions) commits
 * only at checkpoints: it prepares on the barrier ({@link SinkWriter#prepareCommit()}) and commits
 * when the checkpoint completed ({@link #snapshotCommitFinish}), before the reader stores the
 * position, which waits for it (see {@link TwoPhaseCommits}). Its changes become visible once per
 * checkpoint interval.
 */
final class WriteChangesProcessor extends com.hazelcast.jet.core.AbstractProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WriteChangesProcessor.class);
    private static final int MAX_UNFLUSHED_EVENTS = 50_000;

    /**
     * The longest an idle writer sleeps without a ring from its reader: it bounds how late a writer
     * notices a cancelled job when the reader has not rung on closing.
     */
    private static final long IDLE_SLEEP_NANOS = 500_000_000L;

    private final StreamJob job;
    private final Map<TableId, TableSchema> sourceSchemas = new HashMap<>();
    private final Map<TableId, TableSchema> targetSchemas = new HashMap<>();
    private final Map<TableId, TransformChain> chains = new HashMap<>();
    private final Map<TableId, TableId> routes = new HashMap<>();
    private final Map<TableId, RowProjection> projections = new HashMap<>();
    private final List<Long> unflushedCommitMillis = new ArrayList<>();

    private Chains chainsOf;
    private Connector connector;
    private SinkWriter writer;
    private RunCounters counters;
    private WriterWakeup wakeup;
    private boolean twoPhase;
    private int writerIndex;

    /** Checkpoints this writer has prepared in this job, as {@link TwoPhaseCommits} counts them. */
    private long checkpoints;

    private long ringsSeen;
    private long unflushedEvents;
    private long firstUnflushedNanos;

    /** Whether the last batch came from a stream caught up with its source. */
    private boolean caughtUp;

    /** How long the last commit took. */
    private long lastCommitNanos;

    WriteChangesProcessor(StreamJob job) {
        this.job = job;
    }

    @Override
    public boolean isCooperative() {
        return false;
    }

    @Override
    protected void init(Context context) {
        MDC.put("pipeline", job.pipeline());
        sourceSchemas.putAll(job.sourceSchemas());
        targetSchemas.putAll(job.targetSchemas());
        routes.putAll(job.targets());
        chainsOf = Chains.of(job.transforms(), job.sink());
        connector =
                ConnectorRegistry.installed()
                        .factory(job.sink().type())
                        .create(job.sink().config());
        writerIndex = context.globalProcessorIndex();
        writer = connector.sink().openWriter(job.pipeline(), writerIndex);
        counters = RunCounters.of(job.runKey());
        wakeup = counters.writerWakeup();
        ringsSeen = wakeup.rings();
        twoPhase = writer.twoPhaseCommit();
        if (twoPhase) {
            counters.twoPhaseCommits().register(writerIndex);
        }
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        ChangeBatch batch = (ChangeBatch) item;
        TableId target = batch.table();
        List<ChangeEvent> run = new ArrayList<>();
        for (ChangeEvent event : batch.events()) {
            TableId source = event.table();
            MDC.put("table", source.toString());
            switch (event) {
                case ChangeEvent.SchemaChange change -> {
                    applyRun(target, run);
                    run = new ArrayList<>();
                    schemaChange(source, target, change);
                }
                case ChangeEvent.Truncate truncate -> {
                    refuseSharedTruncate(source, target);
                    run.add(truncate);
                }
                case ChangeEvent.DataChange data -> {
                    List<ChangeEvent> out = run;
                    RowProjection projection = projection(source, target);
                    chain(source).change(data, c -> out.add(projection.project(c)));
                }
            }
            if (!(event instanceof ChangeEvent.SchemaChange) && event.meta().commitTime() != null) {
                unflushedCommitMillis.add(event.meta().commitTime().toEpochMilli());
            }
        }
        applyRun(target, run);
        caughtUp = batch.caughtUp();
        if (!twoPhase && unflushedEvents >= MAX_UNFLUSHED_EVENTS) {
            flush();
        }
        return true;
    }

    /**
     * A truncate empties the whole target: when other source tables are routed into it too, their
     * rows would go with it, so the pipeline stops instead of losing them.
     */
    private void refuseSharedTruncate(TableId source, TableId target) {
        if (job.sharedTargets()) {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "table "
                            + source
                            + " was truncated at the source (or is being copied again), but its"
                            + " target "
                            + target
                            + " also holds the rows of the other sources of this pipeline's"
                            + " union, which a truncate would remove; delete the rows of this"
                            + " source at the target yourself (by the union's source column) and"
                            + " restart the pipeline");
        }
        List<TableId> sharing =
                routes.entrySet().stream()
                        .filter(e -> e.getValue().equals(target) && !e.getKey().equals(source))
                        .map(Map.Entry::getKey)
                        .toList();
        if (!sharing.isEmpty()) {
            throw new SiphonException(
                    ErrorCode.SCHEMA_MISMATCH,
                    "table "
                            + source
                            + " was truncated at the source, but its target "
                            + target
                            + " also holds the rows of "
                            + sharing
                            + ", which a truncate would remove; delete the rows of "
                            + source
                            + " at the target yourself (by its source column when the route"
                            + " has one) and restart the pipeline, or stop routing several tables"
                            + " into one target");
        }
    }

    private void applyRun(TableId table, List<ChangeEvent> run) {
        if (run.isEmpty()) {
            return;
        }
        TableSchema target = targetSchemas.get(table);
        if (target == null) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "changes arrived for " + table + ", which this pipeline did not prepare");
        }
        try {
            writer.apply(target, run);
        } catch (SiphonException e) {
            counters.tableFailed(table, e);
            throw e;
        }
        counters.tableWritten(table);
        if (unflushedEvents == 0) {
            firstUnflushedNanos = System.nanoTime();
        }
        unflushedEvents += run.size();
    }

    /**
     * Follows a source table's schema change: the table's chain is bound again to the new schema
     * (an operator that no longer fits, such as a compute reading a dropped column, stops the
     * pipeline naming the step), and the change the target needs is what differs between the
     * chain's output schema before and after. Without transforms that is the source's change
     * itself.
     */
    private void schemaChange(TableId source, TableId target, ChangeEvent.SchemaChange change) {
        boolean newTable =
                change instanceof ChangeEvent.CreateTable && !sourceSchemas.containsKey(source);
        if (!newTable && !sourceSchemas.containsKey(source)) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "a schema change arrived for "
                            + source
                            + ", which this pipeline does not stream; please report it");
        }
        TransformChain before = newTable ? null : chain(source);
        TableSchema newSource =
                newTable
                        ? ((ChangeEvent.CreateTable) change).schema()
                        : sourceSchemas.get(source).evolve(change);
        TransformChain after = rebind(source, newSource, change);
        sourceSchemas.put(source, newSource);
        chains.put(source, after);
        routes.put(source, target);
        projections.clear();
        List<ChangeEvent.SchemaChange> targetChanges;
        if (newTable) {
            if (targetSchemas.containsKey(target)) {
                // Another table already fills this target: the new one joins it.
                LOG.info("New table {} joins target {}", source, target);
                return;
            }
            // A table new to this pipeline: the sink creates it under the name the rule gives.
            targetSchemas.put(target, after.outputSchema().withId(target));
            targetChanges =
                    List.of(
                            new ChangeEvent.CreateTable(
                                    source, after.outputSchema(), change.meta()));
        } else if (chainsOf.none()
                || change instanceof ChangeEvent.DropTable
                || change instanceof ChangeEvent.RenameTable) {
            targetChanges = List.of(change);
        } else {
            targetChanges =
                    OutputSchemaDiff.changes(before.outputSchema(), after.outputSchema(), change);
            if (targetChanges.isEmpty()) {
                LOG.info(
                        "Schema change of {} ({}) changes nothing at {} after the transforms",
                        source,
                        describe(change),
                        target);
                return;
            }
        }
        switch (job.schemaChanges()) {
            case PROPAGATE -> {
                if (!twoPhase) {
                    flush();
                }
                for (ChangeEvent.SchemaChange c : targetChanges) {
                    TableSchema newTarget = writer.applySchemaChange(targetSchemas.get(target), c);
                    targetSchemas.put(target, newTarget);
                    LOG.info("Applied schema change to {}: {}", newTarget.id(), describe(c));
                }
            }
            case IGNORE ->
                    LOG.info(
                            "Ignored schema change of {} (schema-changes: ignore): {}",
                            source,
                            describe(change));
            case FAIL ->
                    throw new SiphonException(
                            ErrorCode.SCHEMA_MISMATCH,
                            "table "
                                    + source
                                    + " changed at the source ("
                                    + describe(change)
                                    + ") and the pipeline has schema-changes: fail; apply the"
                                    + " change at the target and set schema-changes: ignore, or"
                                    + " use propagate");
        }
    }

    /**
     * The table's chain bound to its new schema, or a pipeline error saying what no longer fits.
     */
    private TransformChain rebind(
            TableId source, TableSchema newSource, ChangeEvent.SchemaChange change) {
        try {
            return chainsOf.bind(newSource);
        } catch (SiphonException e) {
            throw new SiphonException(
                    e.code(),
                    "table "
                            + source
                            + " changed at the source ("
                            + describe(change)
                            + ") and the pipeline's transforms no longer fit it: "
                            + e.getMessage()
                            + "; change the transforms to fit the new schema and run the pipeline"
                            + " again",
                    e);
        }
    }

    private static String describe(ChangeEvent.SchemaChange change) {
        return change.getClass().getSimpleName();
    }

    private TransformChain chain(TableId source) {
        return chains.computeIfAbsent(source, t -> chainsOf.bind(sourceSchemas.get(t)));
    }

    private RowProjection projection(TableId source, TableId target) {
        return projections.computeIfAbsent(
                source,
                t -> RowProjection.between(chain(t).outputSchema(), targetSchemas.get(target)));
    }

    /**
     * Called by Jet whenever the writer has taken everything it was handed: commits what a
     * caught-up stream brought, and otherwise changes that waited long enough. A target whose last
     * commit took longer than the flush interval is slow (overloaded): committing at once there
     * would only add commits for it to do, so the writer gathers for the flush interval again.
     */
    @Override
    public boolean tryProcess() {
        long flushNanos = job.flushMillis() * 1_000_000;
        if (!twoPhase
                && unflushedEvents > 0
                && ((caughtUp && lastCommitNanos < flushNanos)
                        || System.nanoTime() - firstUnflushedNanos >= flushNanos)) {
            flush();
        }
        // Jet calls this when the queue was found empty; sleep until the reader queues something
        // more (it rings), until held changes are due, or for a bounded while, instead of Jet's
        // idle backoff of a few milliseconds. Jet looks at the queue right after this returns, and
        // the count of rings is taken just before: a ring after it means something was queued.
        long now = System.nanoTime();
        long deadline =
                unflushedEvents > 0 && !twoPhase
                        ? Math.min(firstUnflushedNanos + flushNanos, now + IDLE_SLEEP_NANOS)
                        : now + IDLE_SLEEP_NANOS;
        wakeup.awaitRingAfter(ringsSeen, deadline);
        ringsSeen = wakeup.rings();
        return true;
    }

    @Override
    public boolean saveToSnapshot() {
        checkpoints++;
        if (twoPhase) {
            writer.prepareCommit();
        } else {
            flush();
        }
        return true;
    }

    /**
     * Phase two of a checkpoint: a two-phase writer commits what it prepared, and tells the reader,
     * which stores the checkpoint's position only then. After a checkpoint that failed elsewhere
     * the prepared transaction stays open and goes on into the next one.
     */
    @Override
    public boolean snapshotCommitFinish(boolean success) {
        if (twoPhase && success) {
            writer.commitPrepared();
            counters.twoPhaseCommits().committed(writerIndex, checkpoints);
            committed();
        }
        return true;
    }

    private void flush() {
        if (unflushedEvents == 0) {
            return;
        }
        long started = System.nanoTime();
        writer.flush();
        lastCommitNanos = System.nanoTime() - started;
        committed();
    }

    /** Counts what the last commit made visible. */
    private void committed() {
        long now = System.currentTimeMillis();
        for (long commit : unflushedCommitMillis) {
            counters.visibleAfter(now - commit);
        }
        unflushedCommitMillis.clear();
        unflushedEvents = 0;
    }

    @Override
    public void close() {
        try (Connector c = connector;
                SinkWriter w = writer) {
            MDC.clear();
        }
    }
}
