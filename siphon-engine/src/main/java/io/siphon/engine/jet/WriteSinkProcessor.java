package io.siphon.engine.jet;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.state.StateStore;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.Connector;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotOrigin;
import io.siphon.spi.SnapshotSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes snapshot batches to the sink, committing only whole chunks: batches of several chunks may
 * arrive interleaved (the edge is partitioned by chunk, and several readers share a writer), so the
 * writer commits ({@link SinkWriter#flush()}) when a chunk has ended and no other chunk is half
 * written, and only then records the chunks ended since the last commit as done in the state store.
 * A done chunk is therefore never lost, and an unfinished one never committed in part, so the next
 * run writes it again whole.
 *
 * <p>With an {@linkplain SinkWriter#exactlyOnce() exactly-once} writer, each chunk's done mark is
 * also written at the target in the transaction of its rows ({@link SinkWriter#chunkDone}), and a
 * chunk that the target already has ({@link SinkWriter#chunkApplied}: a crash came between the
 * target's commit and the state store's) is read but not written again. Non-cooperative: writing
 * blocks on the target.
 */
final class WriteSinkProcessor extends com.hazelcast.jet.core.AbstractProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WriteSinkProcessor.class);

    /** A chunk whose rows are all written, in the open transaction. */
    private record Ended(SnapshotSplit split, long rows) {}

    private final SnapshotJob job;
    private final Map<SnapshotSplit, Long> rowsPerOpenChunk = new HashMap<>();
    private final Set<SnapshotSplit> alreadyApplied = new HashSet<>();
    private final List<Ended> ended = new ArrayList<>();

    private Connector connector;
    private SinkWriter writer;
    private StateStore state;
    private RunCounters counters;
    private String snapshotKey;

    WriteSinkProcessor(SnapshotJob job) {
        this.job = job;
    }

    @Override
    public boolean isCooperative() {
        return false;
    }

    @Override
    protected void init(Context context) {
        connector =
                ConnectorRegistry.installed()
                        .factory(job.sink().type())
                        .create(job.sink().config());
        writer = connector.sink().openWriter(job.pipeline(), context.globalProcessorIndex());
        state = StateStore.open(Path.of(job.stateDir()));
        snapshotKey = state.snapshotKey(job.snapshotId());
        counters = RunCounters.of(job.runKey());
        MDC.put("pipeline", job.pipeline());
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        SnapshotBatch batch = (SnapshotBatch) item;
        try {
            return write(batch);
        } catch (SiphonException e) {
            counters.tableFailed(failedTable(batch.split().table()), e);
            throw e;
        }
    }

    /**
     * The source table whose rows the writer's last failure is about: the batch's, unless the
     * writer names another target table (a COPY of an earlier batch refused when this one ended
     * it).
     */
    private TableId failedTable(TableId batchTable) {
        return writer.failedTable()
                .flatMap(
                        target ->
                                job.targetSchemas().entrySet().stream()
                                        .filter(e -> e.getValue().id().equals(target))
                                        .map(Map.Entry::getKey)
                                        .findFirst())
                .orElse(batchTable);
    }

    private boolean write(SnapshotBatch batch) {
        SnapshotSplit split = batch.split();
        TableId table = split.table();
        TableId targetId = job.targets().get(table);
        TableSchema target = job.targetSchemas().get(targetId);
        MDC.put("table", table.toString());
        if (!rowsPerOpenChunk.containsKey(split) && !alreadyApplied.contains(split)) {
            if (writer.chunkApplied(snapshotKey, split, target)) {
                LOG.info(
                        "Chunk {} was committed at the target by an earlier run; not writing it"
                                + " again",
                        split.id());
                alreadyApplied.add(split);
            } else {
                rowsPerOpenChunk.put(split, 0L);
            }
        }
        if (alreadyApplied.contains(split)) {
            if (batch.last()) {
                alreadyApplied.remove(split);
                // This run wrote none of its rows.
                ended.add(new Ended(split, 0));
                commitIfWhole();
            }
            return true;
        }
        if (!batch.rows().isEmpty()) {
            writer.write(
                    target,
                    batch.rows(),
                    job.writeModes().get(targetId),
                    new SnapshotOrigin(table, job.snapshotPosition()));
            rowsPerOpenChunk.merge(split, (long) batch.rows().size(), Long::sum);
            counters.rowsWritten(table, batch.rows().size());
        }
        if (batch.last()) {
            long rows = rowsPerOpenChunk.remove(split);
            writer.chunkDone(snapshotKey, split, target, rows);
            ended.add(new Ended(split, rows));
            commitIfWhole();
        }
        return true;
    }

    /** Commits and records the ended chunks, unless a chunk is half written. */
    private void commitIfWhole() {
        if (!rowsPerOpenChunk.isEmpty()) {
            return;
        }
        writer.flush();
        for (Ended chunk : ended) {
            state.chunkDone(job.snapshotId(), chunk.split(), chunk.rows(), job.runId());
            counters.chunkDone(chunk.split().table());
        }
        ended.clear();
    }

    @Override
    public void close() {
        try (Connector c = connector;
                StateStore s = state;
                SinkWriter w = writer) {
            MDC.clear();
        }
    }
}
