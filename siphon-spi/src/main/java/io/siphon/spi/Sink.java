package io.siphon.spi;

import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.util.List;

/** The writing side of a connector. */
public interface Sink {

    /**
     * Makes sure the target table exists and can take the source's rows: creates it when missing
     * (same columns, types and primary key; a sink of the same kind as the source uses the columns'
     * native types), otherwise checks that every source column exists there. Driver thread, once
     * per table per run, before any writer writes.
     *
     * @param source the source table's schema
     * @param target the name the table has at the target
     * @param sourceType the source connector's {@link ConnectorFactory#type()}
     * @throws SiphonException {@link ErrorCode#SCHEMA_MISMATCH} when an existing table lacks a
     *     column, {@link ErrorCode#TYPE_UNSUPPORTED} when a type cannot be created here
     */
    PreparedTable prepareTable(TableSchema source, TableId target, String sourceType);

    /**
     * Checks an existing target table against its source table without changing anything: every
     * source column it lacks, every column narrower than the source's, every {@code NOT NULL}
     * column of its own without a default (which the pipeline's inserts would leave empty), a
     * missing key; each as a problem with its fix, all at once. Empty when the table does not exist
     * (it will be created) or fits. Caller's thread; {@code siphon validate} asks it for every
     * table before any row moves.
     *
     * @param source the source table's schema
     * @param target the name the table has at the target
     * @param sourceType the source connector's {@link ConnectorFactory#type()}
     */
    default List<Problem> checkTable(TableSchema source, TableId target, String sourceType) {
        return List.of();
    }

    /**
     * What the target will not follow exactly in a table, though it can take its rows: for example
     * a source column generated from others ({@link io.siphon.model.Column#generated()}) that the
     * target holds, or would create, as a plain column, which the change stream then leaves stale.
     * Each says what happens and how to avoid it; none stops the pipeline. Caller's thread; {@code
     * siphon validate} asks it for every table, and the run logs the same when it prepares them.
     *
     * @param source the source table's schema
     * @param target the name the table has at the target
     * @param sourceType the source connector's {@link ConnectorFactory#type()}
     */
    default List<Problem> tableWarnings(TableSchema source, TableId target, String sourceType) {
        return List.of();
    }

    /**
     * A dry run of {@link #prepareTable}: the statements it would run for this table now, without
     * running them ({@code CREATE TABLE} with each column's type and the key when the target table
     * does not exist). Empty when the table exists (it is checked, not created) or the sink cannot
     * tell. Caller's thread; {@code validate} asks it for every table, after {@link #checkTable}
     * found nothing wrong.
     *
     * @param source the source table's schema
     * @param target the name the table has at the target
     * @param sourceType the source connector's {@link ConnectorFactory#type()}
     */
    default List<String> plannedStatements(TableSchema source, TableId target, String sourceType) {
        return List.of();
    }

    /**
     * Opens a writer that is not tied to a pipeline: it writes and applies, but records nothing at
     * the target ({@link SinkWriter#exactlyOnce()} is false). Writer thread; each parallel writer
     * opens its own.
     */
    SinkWriter openWriter();

    /**
     * Opens a writer for a pipeline's run. A sink that can record what it applied at the target
     * (see {@link SinkWriter#exactlyOnce()}) keys those records by {@code pipeline}, so that
     * pipelines writing into the same target keep them apart; other sinks open the same writer as
     * {@link #openWriter()}. Called by the engine's snapshot and stream writers, on their own
     * (writer) thread, once per writer per run.
     *
     * @param pipeline the pipeline's name
     */
    default SinkWriter openWriter(String pipeline) {
        return openWriter();
    }

    /**
     * Opens a writer for one slot of a pipeline's run: the engine's {@code writer}-th parallel
     * writer (0, 1, ... for the pipeline's parallelism, the same numbers on every run). A sink
     * whose writers hold state at the target under a name of their own (Kafka's transactional ids)
     * names it by pipeline and slot, so that the writer of the next run in the same slot finds it
     * and aborts what the earlier one left {@linkplain SinkWriter#prepareCommit() prepared}
     * (fencing a zombie that still writes). Others open {@link #openWriter(String)}. Called by the
     * engine's snapshot and stream writers, on their own thread, once per writer per run.
     *
     * @param pipeline the pipeline's name
     * @param writer the writer's slot, from 0
     */
    default SinkWriter openWriter(String pipeline, int writer) {
        return openWriter(pipeline);
    }

    /**
     * Problems of this sink with the pipeline's checkpoint interval, each with its fix: a sink
     * whose transactions stay open from one checkpoint to the next (Kafka with {@code delivery:
     * exactly-once}) needs the target's transaction timeout to be longer. Empty by default.
     * Caller's thread; {@code siphon validate} and every run of a streaming pipeline ask it before
     * any row moves.
     *
     * @param checkpointInterval the pipeline's {@code checkpoint-interval}
     */
    default List<Problem> checkCheckpointInterval(java.time.Duration checkpointInterval) {
        return List.of();
    }

    /**
     * Removes what this sink recorded at the target about a pipeline's progress through {@link
     * #openWriter(String)} (for an exactly-once sink: the positions it applied and the snapshot
     * chunks it committed), so that a pipeline created later under the same name, or the same
     * pipeline copying its tables again, starts with nothing counted as applied. The target tables
     * and their rows are kept. Driver thread, while the pipeline is stopped.
     *
     * @param pipeline the pipeline's name
     * @return how many records were removed; 0 for a sink that records nothing
     * @throws SiphonException when the target cannot be reached or the records cannot be removed
     */
    default long forgetPipeline(String pipeline) {
        return 0;
    }
}
