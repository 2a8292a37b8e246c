package io.siphon.engine.jet;

import io.siphon.engine.spec.SinkSpec;
import io.siphon.engine.spec.SourceSpec;
import io.siphon.engine.spec.TransformSpec;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.SnapshotSplit;
import io.siphon.spi.WriteMode;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything the processors of one snapshot run need, shipped with the Jet job.
 *
 * @param pipeline the pipeline name (for logs)
 * @param runKey the key of the run's {@link RunCounters}
 * @param stateDir the state directory, where writers record finished chunks
 * @param snapshotId the snapshot in the state store
 * @param runId the run in the state store
 * @param source the source
 * @param sink the sink
 * @param transforms the pipeline's transforms, which readers run on each chunk's rows
 * @param sourceSchemas source schema per source table
 * @param targets target table per source table
 * @param targetSchemas prepared target schema per target table
 * @param writeModes write mode per target table
 * @param splits the chunks to read
 * @param readPointToken the source read point every reader reads at
 * @param snapshotPosition the source position the read point shows the data at, when the stream
 *     starts there (null otherwise), which writers may carry with each row
 * @param batchRows rows per batch
 */
public record SnapshotJob(
        String pipeline,
        String runKey,
        String stateDir,
        long snapshotId,
        long runId,
        SourceSpec source,
        SinkSpec sink,
        List<TransformSpec> transforms,
        Map<TableId, TableSchema> sourceSchemas,
        Map<TableId, TableId> targets,
        Map<TableId, TableSchema> targetSchemas,
        Map<TableId, WriteMode> writeModes,
        List<SnapshotSplit> splits,
        String readPointToken,
        Offset snapshotPosition,
        int batchRows)
        implements Serializable {

    /** Copies the collections. */
    public SnapshotJob {
        transforms = List.copyOf(transforms);
        sourceSchemas = Map.copyOf(sourceSchemas);
        targets = Map.copyOf(targets);
        targetSchemas = Map.copyOf(targetSchemas);
        writeModes = Map.copyOf(writeModes);
        splits = List.copyOf(splits);
    }
}
