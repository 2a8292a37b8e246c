package io.siphon.engine.spec;

import java.io.Serializable;
import java.util.Objects;

/**
 * A validated pipeline: what to read, where to write, and how. Built by {@link PipelineSpecParser};
 * every key is documented in {@code docs/pipeline-spec.md}.
 *
 * @param name the pipeline's name: letters, digits, {@code -} and {@code _}
 * @param source where to read
 * @param sink where to write
 * @param mode what to move
 * @param schemaChanges what to do with source schema changes
 * @param parallelism parallel readers and writers
 * @param chunkRows rows per snapshot chunk
 * @param batchRows rows per batch between stages
 * @param flushInterval longest wait of a streamed change before it is committed at the target
 * @param checkpointInterval how often stream positions are stored and acknowledged
 * @param discoveryInterval how often a streaming pipeline looks for new tables; zero for never
 * @param transforms the operators every row and change goes through, in order; empty for none
 * @param sharedTargets whether other flows of the same {@link PipelineGraph} write through this
 *     pipeline's sink (a union): its targets are then never bulk-appended, since rows of another
 *     flow may arrive there meanwhile
 */
public record PipelineSpec(
        String name,
        SourceSpec source,
        SinkSpec sink,
        Mode mode,
        SchemaChangePolicy schemaChanges,
        int parallelism,
        int chunkRows,
        int batchRows,
        java.time.Duration flushInterval,
        java.time.Duration checkpointInterval,
        java.time.Duration discoveryInterval,
        java.util.List<TransformSpec> transforms,
        boolean sharedTargets)
        implements Serializable {

    /** Checks the parts. */
    public PipelineSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(schemaChanges, "schemaChanges");
        transforms = java.util.List.copyOf(transforms);
    }
}
