package io.siphon.engine.jet;

import io.siphon.engine.ConnectorRegistry;
import io.siphon.engine.state.StateStore;
import io.siphon.model.TableId;
import io.siphon.spi.Connector;
import io.siphon.spi.SinkWriter;
import io.siphon.spi.SnapshotSplit;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Writes snapshot batches to the sink. On a chunk's end marker it flushes (everything written so
 * far becomes durable) and only then records the chunk as done, so a done chunk is never lost and
 * an unfinished one is read again by the next run. Non-cooperative: writing blocks on the target.
 */
final class WriteSinkProcessor extends com.hazelcast.jet.core.AbstractProcessor {

    private final SnapshotJob job;
    private final Map<SnapshotSplit, Long> rowsPerChunk = new HashMap<>();

    private Connector connector;
    private SinkWriter writer;
    private StateStore state;
    private RunCounters counters;

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
        writer = connector.sink().openWriter();
        state = StateStore.open(Path.of(job.stateDir()));
        counters = RunCounters.of(job.runKey());
        MDC.put("pipeline", job.pipeline());
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        SnapshotBatch batch = (SnapshotBatch) item;
        SnapshotSplit split = batch.split();
        TableId table = split.table();
        MDC.put("table", table.toString());
        if (!batch.rows().isEmpty()) {
            writer.write(job.targetSchemas().get(table), batch.rows(), job.writeModes().get(table));
            rowsPerChunk.merge(split, (long) batch.rows().size(), Long::sum);
            counters.rowsWritten(table, batch.rows().size());
        }
        if (batch.last()) {
            writer.flush();
            Long rows = rowsPerChunk.remove(split);
            state.chunkDone(job.snapshotId(), split, rows == null ? 0 : rows, job.runId());
            counters.chunkDone(table);
        }
        return true;
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
