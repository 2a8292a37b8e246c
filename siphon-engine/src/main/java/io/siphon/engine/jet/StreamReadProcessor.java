package io.siphon.engine.jet;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.state.StateStore;
import io.siphon.engine.transform.Chains;
import io.siphon.model.ChangeEvent;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.ChangeStream;
import io.siphon.spi.Connector;
import io.siphon.spi.OffsetCodec;
import io.siphon.spi.StreamPart;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads the source's change stream and emits it as per-table batches.
 *
 * <p>Positions follow Jet's snapshot protocol: at a snapshot barrier the reader notes the safe
 * position of what it has emitted; writers flush at the same barrier; only when the snapshot is
 * complete on every processor ({@link #snapshotCommitFinish}) is the position stored and then
 * acknowledged to the source. So the source releases only changes that are durable at the target,
 * and a restart resumes from a stored position without losing anything.
 *
 * <p>The schema history goes the same way: the stream's schemas as of its safe position are taken
 * with that position, noted with it at the barrier, and stored with it in one statement, so a
 * stored position is never paired with the schemas of another.
 *
 * <p>A source that splits its stream into parts ({@code StreamSource.parts()}) has one reader per
 * part. Each opens the stream at the stored position, reads its part's share, and at each completed
 * snapshot merges its own share's position and schemas into the stored ones (under the stored row's
 * lock, so readers in other processes never lose each other's). Jet's barrier reaches every writer
 * from every reader, so the position each stores is still durable at the target.
 */
final class StreamReadProcessor extends com.hazelcast.jet.core.AbstractProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(StreamReadProcessor.class);

    /**
     * A stream whose newest change committed longer ago than this is behind (a backlog being
     * drained): its writers gather larger commits (see {@link ChangeBatch#caughtUp}).
     */
    private static final long CAUGHT_UP_LAG_MILLIS = 1_000;

    private static final long BACKLOG_EVERY_NANOS = 1_000_000_000L;
    private static final long IDLE_BACKLOG_EVERY_NANOS = 10_000_000_000L;

    private final StreamJob job;
    private final Deque<ChangeBatch> pending = new ArrayDeque<>();
    private final IdlePoll idlePoll = new IdlePoll();

    private Connector connector;
    private ChangeStream stream;
    private OffsetCodec<Offset> codec;
    private StateStore state;
    private RunCounters counters;
    private TableResnapshots resnapshots;
    private Offset pendingSafe;
    private Map<TableId, TableSchema> pendingSchemas;
    private Map<TableId, String> pendingMarks;
    private Offset emittedSafe;
    private Map<TableId, TableSchema> emittedSchemas = Map.of();
    private Map<TableId, String> emittedMarks = Map.of();
    private Offset snapshotPosition;
    private Map<TableId, TableSchema> snapshotSchemas = Map.of();
    private Map<TableId, String> snapshotMarks = Map.of();
    private Offset acknowledged;
    private long lastBacklogNanos;
    private boolean changedSinceBacklog = true;
    private boolean barrierQueued;

    /** Checkpoints this reader has taken part in, as {@link TwoPhaseCommits} counts them. */
    private long checkpoints;

    private Chains chains;
    private final Map<TableId, TableId> targets = new HashMap<>();
    private StreamPart part;

    StreamReadProcessor(StreamJob job) {
        this.job = job;
    }

    @Override
    public boolean isCooperative() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void init(Context context) {
        MDC.put("pipeline", job.pipeline());
        connector =
                ConnectorRegistry.installed()
                        .factory(job.source().type())
                        .create(job.source().config());
        codec = (OffsetCodec<Offset>) connector.streamSource().offsetCodec();
        Offset from = codec.fromJson(job.fromOffsetJson());
        acknowledged = from;
        // On a cluster the readers of the parts may be on several members: each takes the part of
        // its index among all of them.
        part = new StreamPart(context.globalProcessorIndex(), context.totalParallelism());
        stream =
                connector
                        .streamSource()
                        .open(
                                job.pipeline(),
                                List.copyOf(job.sourceSchemas().values()),
                                from,
                                job.asOfOffset(),
                                part);
        state = StateStore.open(Path.of(job.stateDir()));
        // Stored with the position the stream resumes from: how the source's tables were then.
        stream.resumeTableMarks(state.tableMarks(job.pipeline()));
        counters = RunCounters.of(job.runKey());
        chains = Chains.of(job.transforms(), job.sink());
        targets.putAll(job.targets());
        resnapshots =
                new TableResnapshots(
                        job.pipeline(),
                        job.chunkRows(),
                        state,
                        connector,
                        stream,
                        counters,
                        job.sourceSchemas(),
                        part.index() == 0);
        if (part.whole()) {
            LOG.info("Streaming changes of {} from {}", job.pipeline(), from.describe());
        } else {
            LOG.info(
                    "Streaming part {} of {} of the changes of {} from {}",
                    part.index() + 1,
                    part.count(),
                    job.pipeline(),
                    from.describe());
        }
    }

    @Override
    public boolean complete() {
        // What this emits, and a snapshot barrier Jet queued after saveToSnapshot, sits in the
        // writers' queues now: wake them (idle writers sleep until rung).
        boolean queued = barrierQueued;
        barrierQueued = false;
        while (!pending.isEmpty()) {
            if (!tryEmit(pending.peek())) {
                counters.writerWakeup().ring();
                return false;
            }
            pending.poll();
            queued = true;
        }
        if (queued) {
            counters.writerWakeup().ring();
        }
        if (pendingSafe != null) {
            emittedSafe = pendingSafe;
            emittedSchemas = pendingSchemas;
            emittedMarks = pendingMarks;
            pendingSafe = null;
        }
        resnapshots.emitted();
        // A re-snapshot's emptying of its table goes before this poll's changes; its chunk rows
        // come after the changes up to the chunk's high watermark.
        List<ChangeEvent> events = new ArrayList<>(resnapshots.beforePoll());
        // A poll returns as soon as changes come; an idle one sleeps on the source, longer the
        // longer the stream has been idle (see IdlePoll).
        List<ChangeEvent> polled = stream.poll(idlePoll.timeout());
        polled.forEach(counters::eventRead);
        events.addAll(resnapshots.afterPoll(polled, stream.watermarkReached()));
        idlePoll.polled(events.isEmpty() && !resnapshots.busy());
        // Grouped by target, in stream order within each: the changes of two source tables routed
        // into one target must reach its writer in the order of the stream, or a change could
        // land behind the exactly-once position of a later one and be skipped.
        Map<TableId, List<ChangeEvent>> byTarget = new LinkedHashMap<>();
        for (ChangeEvent e : events) {
            byTarget.computeIfAbsent(targetOf(e), t -> new ArrayList<>()).add(e);
        }
        boolean caughtUp = !stream.moreWaiting() && recent(polled);
        byTarget.forEach((target, list) -> pending.add(new ChangeBatch(target, list, caughtUp)));
        pendingSafe = stream.safePosition();
        // Asked together with the position, so the history stored with a position is the one
        // of that position: never a schema from after it (see ChangeStream#safeSchemas).
        pendingSchemas = stream.safeSchemas();
        pendingMarks = stream.safeTableMarks();
        counters.sourcePosition(pendingSafe.describe());
        // The backlog is a query at the source: once a second while changes come, and only every
        // ten seconds while the stream is idle, when it barely moves.
        changedSinceBacklog |= !polled.isEmpty();
        long now = System.nanoTime();
        if (now - lastBacklogNanos
                > (changedSinceBacklog ? BACKLOG_EVERY_NANOS : IDLE_BACKLOG_EVERY_NANOS)) {
            lastBacklogNanos = now;
            changedSinceBacklog = false;
            counters.backlogBytes(stream.backlogBytes());
        }
        return false;
    }

    /**
     * Whether the newest of the polled changes that carry a commit time committed less than {@link
     * #CAUGHT_UP_LAG_MILLIS} ago (true when none does). The commit time is the source's clock: a
     * source clock far behind this one makes the stream look behind, and writers then commit after
     * the flush interval as they would anyway.
     */
    private static boolean recent(List<ChangeEvent> polled) {
        for (int i = polled.size() - 1; i >= 0; i--) {
            Instant committed = polled.get(i).meta().commitTime();
            if (committed != null) {
                return System.currentTimeMillis() - committed.toEpochMilli() < CAUGHT_UP_LAG_MILLIS;
            }
        }
        return true;
    }

    /**
     * The target of a change's table: as planned, or for a table new to the pipeline, what its
     * chain makes of the schema its creation brings (the writer binds the same chain and comes to
     * the same target).
     */
    private TableId targetOf(ChangeEvent event) {
        TableId target = targets.get(event.table());
        if (target != null) {
            return target;
        }
        TableId found =
                event instanceof ChangeEvent.CreateTable created
                        ? chains.targetOf(chains.bind(created.schema()))
                        : job.sink().targetOf(event.table());
        targets.put(event.table(), found);
        return found;
    }

    @Override
    public boolean saveToSnapshot() {
        checkpoints++;
        snapshotPosition = emittedSafe;
        snapshotSchemas = emittedSchemas;
        snapshotMarks = emittedMarks;
        resnapshots.saveToSnapshot();
        barrierQueued = true;
        return true;
    }

    @Override
    public boolean snapshotCommitFinish(boolean success) {
        // The writers take part in the snapshot's second phase too; they may be asleep.
        counters.writerWakeup().ring();
        if (success && !counters.twoPhaseCommits().allCommitted(checkpoints)) {
            // Two-phase writers commit in this same phase; the position is stored after them, so
            // that it never runs ahead of what the target committed. Jet calls again.
            return false;
        }
        Offset position = snapshotPosition;
        if (success && position != null && !position.equals(acknowledged)) {
            String stored = store(position);
            stream.acknowledge(position);
            acknowledged = position;
            counters.acknowledged(codec.fromJson(stored).describe());
        }
        if (success) {
            resnapshots.commit();
        }
        return true;
    }

    /** Stores the position (a part's merged into the others'), returning what was stored. */
    private String store(Offset position) {
        if (part.whole()) {
            String json = codec.toJson(position);
            state.saveOffset(
                    job.pipeline(), job.source().type(), json, snapshotSchemas, snapshotMarks);
            return json;
        }
        return state.mergeOffset(
                job.pipeline(),
                job.source().type(),
                stored -> codec.toJson(codec.merge(codec.fromJson(stored), position)),
                snapshotSchemas,
                snapshotMarks);
    }

    @Override
    public void close() {
        if (counters != null) {
            // Writers asleep notice a cancelled job sooner.
            counters.writerWakeup().ring();
        }
        try (Connector c = connector;
                ChangeStream s = stream;
                StateStore st = state) {
            MDC.clear();
        }
    }
}
