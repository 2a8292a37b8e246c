package io.siphon.engine.jet;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.state.StateStore;
import io.siphon.engine.transform.Chains;
import io.siphon.model.Row;
import io.siphon.model.RowBatch;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import io.siphon.spi.transform.TransformChain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.slf4j.MDC;

/**
 * Reads snapshot chunks, taking the next unread chunk from a queue shared by every reader of the
 * member, so that a large table's chunks spread over all readers and no reader idles while another
 * has a backlog. Non-cooperative: reading blocks on the source.
 *
 * <p>The pipeline's transforms run here, fused into the reader: each table's chain is bound once
 * per reader, and the rows leave already shaped for their target. Readers are as many as writers,
 * so the work spreads the same either way; doing it here means rows a {@code filter} leaves out
 * never cross the edge, and the writer stays a plain writer of target rows.
 */
final class ReadSplitsProcessor extends com.hazelcast.jet.core.AbstractProcessor {

    private final SnapshotJob job;
    private final Queue<SnapshotSplit> queue;

    private Connector connector;
    private SnapshotSource source;
    private StateStore state;
    private SnapshotSplit split;
    private SplitReader reader;
    private SnapshotBatch pending;
    private Chains chains;
    private final Map<TableId, TransformChain> bound = new HashMap<>();

    ReadSplitsProcessor(SnapshotJob job, Queue<SnapshotSplit> queue) {
        this.job = job;
        this.queue = queue;
    }

    @Override
    public boolean isCooperative() {
        return false;
    }

    @Override
    protected void init(Context context) {
        connector =
                ConnectorRegistry.installed()
                        .factory(job.source().type())
                        .create(job.source().config());
        source = connector.snapshotSource();
        state = StateStore.open(Path.of(job.stateDir()));
        chains = Chains.of(job.transforms(), job.sink());
    }

    @Override
    public boolean complete() {
        if (pending != null) {
            if (!tryEmit(pending)) {
                return false;
            }
            pending = null;
        }
        if (reader == null) {
            split = queue.poll();
            if (split == null) {
                return true;
            }
            MDC.put("pipeline", job.pipeline());
            MDC.put("table", split.table().toString());
            state.chunkRead(job.snapshotId(), split);
        }
        RowBatch batch;
        try {
            if (reader == null) {
                reader =
                        source.openSplit(
                                job.sourceSchemas().get(split.table()),
                                split,
                                job.readPointToken(),
                                job.batchRows());
            }
            batch = reader.next();
        } catch (SiphonException e) {
            // Shown against the table in progress and status, as a refused write is.
            RunCounters.of(job.runKey()).tableFailed(split.table(), e);
            throw e;
        }
        if (batch == null) {
            reader.close();
            reader = null;
            pending = new SnapshotBatch(split, List.of(), true);
        } else {
            List<Row> rows = transformed(split.table(), batch.rows());
            pending = rows.isEmpty() ? null : new SnapshotBatch(split, rows, false);
        }
        // Return after each batch so Jet can see a cancellation between batches.
        return false;
    }

    /** The rows as the target takes them: through the table's chain. */
    private List<Row> transformed(TableId table, List<Row> rows) {
        if (chains.none()) {
            return rows;
        }
        TransformChain chain =
                bound.computeIfAbsent(table, t -> chains.bind(job.sourceSchemas().get(t)));
        List<Row> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            chain.row(row, out::add);
        }
        return out;
    }

    @Override
    public void close() {
        try (Connector c = connector;
                StateStore s = state;
                SplitReader r = reader) {
            MDC.clear();
        }
    }
}
