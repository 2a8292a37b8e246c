package io.siphon.engine.jet;

import io.siphon.engine.spec.SchemaChangePolicy;
import io.siphon.engine.spec.SinkSpec;
import io.siphon.engine.spec.SourceSpec;
import io.siphon.engine.spec.TransformSpec;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the processors of one streaming run need, shipped with the Jet job.
 *
 * @param pipeline the pipeline name
 * @param runKey the key of the run's {@link RunCounters}
 * @param stateDir the state directory, where the reader stores acknowledged positions
 * @param source the source
 * @param sink the sink
 * @param transforms the pipeline's transforms, which writers run on each change
 * @param sourceSchemas source schema per source table, as the stream starts
 * @param targets target table per source table: the reader sends each change to the writer of its
 *     target, so that all changes into one target, from however many source tables, are applied by
 *     one writer in stream order
 * @param targetSchemas prepared target schema per target table
 * @param fromOffsetJson the position to resume after, in the source connector's JSON
 * @param asOfOffset the source tables whose schema in {@code sourceSchemas} is their schema as of
 *     {@code fromOffsetJson}, from the schema history; the others are as the source has them now
 * @param schemaChanges what writers do with schema changes
 * @param flushMillis how long a writer may hold written changes before committing them
 * @param chunkRows rows per chunk when a table is copied again while streaming
 * @param sharedTargets whether other flows of the pipeline's graph write the same target tables (a
 *     union): a truncate, which would empty their rows too, is then refused
 * @param readers how many readers read the stream, each a part of it (the source's {@code
 *     StreamSource.parts()}; 1 for a stream that is one ordered sequence)
 */
public record StreamJob(
        String pipeline,
        String runKey,
        String stateDir,
        SourceSpec source,
        SinkSpec sink,
        List<TransformSpec> transforms,
        Map<TableId, TableSchema> sourceSchemas,
        Map<TableId, TableId> targets,
        Map<TableId, TableSchema> targetSchemas,
        String fromOffsetJson,
        Set<TableId> asOfOffset,
        SchemaChangePolicy schemaChanges,
        long flushMillis,
        int chunkRows,
        boolean sharedTargets,
        int readers)
        implements Serializable {

    /** Copies the maps and the set. */
    public StreamJob {
        transforms = List.copyOf(transforms);
        sourceSchemas = Map.copyOf(sourceSchemas);
        targets = Map.copyOf(targets);
        targetSchemas = Map.copyOf(targetSchemas);
        asOfOffset = Set.copyOf(asOfOffset);
    }
}
