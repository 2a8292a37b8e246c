package io.siphon.engine.jet;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.state.StateStore;
import io.siphon.model.RowBatch;
import io.siphon.spi.Connector;
import io.siphon.spi.SiphonException;
import io.siphon.spi.SnapshotSource;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.SplitReader;
import java.nio.file.Path;
import java.util.Queue;
import org.slf4j.MDC;

/**
 * Reads snapshot chunks, taking the next unread chunk from a queue shared by every reader of the
 * member, so that a large table's chunks spread over all readers and no reader idles while another
 * has a backlog. Non-cooperative: reading blocks on the source.
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
            pending = new SnapshotBatch(split, java.util.List.of(), true);
        } else {
            pending = new SnapshotBatch(split, batch.rows(), false);
        }
        // Return after each batch so Jet can see a cancellation between batches.
        return false;
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
