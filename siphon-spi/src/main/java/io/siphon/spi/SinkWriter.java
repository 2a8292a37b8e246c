package io.siphon.spi;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Row;
import io.siphon.model.TableSchema;
import java.util.List;

/**
 * Writes batches to the target. Created, used and closed by one writer thread (the engine's
 * snapshot writer or stream writer processor). Writes may be buffered or left in an open
 * transaction until {@link #flush()}.
 *
 * <p>Delivery: the engine delivers at least once. After a crash it writes again the snapshot chunks
 * whose completion it had not stored, and replays the changes after the last position it had
 * stored. A writer that returns true from {@link #exactlyOnce()} turns that into exactly once: it
 * commits, in the transaction that holds the rows, a record of what they are (the last {@link
 * io.siphon.model.ChangeOrder} applied per table, the snapshot chunks finished), and skips what the
 * record says it has. Other writers (sinks without transactions) absorb the repeats with idempotent
 * writes (upserts and deletes by key); the default methods below are theirs.
 *
 * <p>Two-phase commit: a writer that returns true from {@link #twoPhaseCommit()} (Kafka's
 * transactional writer) makes its writes visible only when the engine's checkpoint completes. On
 * each checkpoint barrier the engine calls {@link #prepareCommit()}: the writer sends everything it
 * holds into its open transaction and makes sure the target has it, but does not commit. When every
 * processor of the job has prepared (the checkpoint completed), the engine calls {@link
 * #commitPrepared()}, and only after every writer has committed does it store the checkpoint's
 * source position. So a stored position never runs ahead of what the target committed; a crash
 * between a commit and the store replays changes the target already has, which an {@link
 * #exactlyOnce()} writer skips. The order is deliberate: a target that cannot commit a prepared
 * transaction from a new process (Kafka's clients before KIP-939) would otherwise lose a checkpoint
 * whose position was stored but whose transaction the crash left open. On restart, what an earlier
 * writer of the same {@linkplain Sink#openWriter(String, int) slot} prepared and did not commit
 * belongs to a checkpoint that was never stored, so the new writer aborts it when it opens (Kafka
 * fences the old producer), and the engine replays it. Jet's {@code TwoPhaseSnapshotCommitUtility}
 * is the model.
 */
public interface SinkWriter extends AutoCloseable {

    /**
     * Whether this writer records what it committed at the target, in the same transaction as the
     * rows, and skips replayed changes ({@link #apply}) and finished chunks ({@link
     * #chunkApplied}). False by default; a sink says true only for writers opened for a pipeline
     * ({@link Sink#openWriter(String)}). Writer thread, any time after opening.
     */
    default boolean exactlyOnce() {
        return false;
    }

    /**
     * The target table whose rows made the last failed call fail, when that is another table than
     * the one the call was given: a writer that buffers rows (PostgreSQL's COPY) may learn that the
     * target refused one only when a call for another table ends the buffer. Empty when the failure
     * is the given table's, or unknown. Writer thread, after a call threw.
     */
    default java.util.Optional<io.siphon.model.TableId> failedTable() {
        return java.util.Optional.empty();
    }

    /**
     * Whether an earlier run committed this snapshot chunk at the target ({@link #chunkDone} was
     * flushed), so that its rows must not be written again. Writer thread, once per chunk before
     * its first rows. Writers that are not {@link #exactlyOnce()} say false: the chunk is written
     * again and their idempotent writes absorb it.
     *
     * @param snapshot the snapshot the chunk belongs to, unique over the pipeline's life
     * @param split the chunk
     * @param table the prepared target schema the chunk's rows go to
     */
    default boolean chunkApplied(String snapshot, SnapshotSplit split, TableSchema table) {
        return false;
    }

    /**
     * Records that all rows of a snapshot chunk have been written, in the transaction that holds
     * them: the next {@link #flush()} commits the rows and the record together. Writer thread, once
     * per chunk after its last rows. Writers that are not {@link #exactlyOnce()} record nothing.
     *
     * @param snapshot the snapshot the chunk belongs to, as for {@link #chunkApplied}
     * @param split the chunk
     * @param table the prepared target schema the chunk's rows went to
     * @param rows how many rows of the chunk were written
     */
    default void chunkDone(String snapshot, SnapshotSplit split, TableSchema table, long rows) {}

    /**
     * Writes rows to a table prepared by {@link Sink#prepareTable}.
     *
     * @param table the prepared target schema ({@link PreparedTable#schema()})
     * @param rows the rows, values in the schema's column order
     * @param mode how to write them
     * @throws SiphonException {@link ErrorCode#SINK_WRITE_FAILED} (or its retriable twin) naming
     *     the table
     */
    void write(TableSchema table, List<Row> rows, WriteMode mode);

    /**
     * Writes rows of a snapshot chunk, saying where they come from: a sink that carries each row's
     * origin (Kafka's change events, whose {@code source} block names the table, the position and
     * the snapshot) overrides this; others write them as {@link #write(TableSchema, List,
     * WriteMode)} does. Called by the engine's snapshot writer instead of that method.
     *
     * @param table the prepared target schema
     * @param rows the rows, values in the schema's column order
     * @param mode how to write them
     * @param origin the source table and the position the snapshot shows it at
     */
    default void write(TableSchema table, List<Row> rows, WriteMode mode, SnapshotOrigin origin) {
        write(table, rows, mode);
    }

    /**
     * Applies changes of one table in their order: inserts and updates as upserts by primary key
     * (an update that changed the key removes the old row), deletes by key, truncates. The writer
     * may hold changes until {@link #flush()} and coalesce changes of the same key within the call
     * and across calls up to then (last one wins), as long as each key ends as its last change
     * leaves it and a truncate, a schema change or a {@link #write} keeps its place among the
     * changes of the table. Values that are {@link io.siphon.model.Unchanged#VALUE} leave the
     * target's value as it is.
     *
     * <p>An {@link #exactlyOnce()} writer skips the changes whose {@link
     * io.siphon.model.EventMeta#order()} is at or before the last one it committed for the table,
     * and records the last one it applies in the same transaction. Changes without an order are
     * always applied.
     *
     * @param table the prepared target schema
     * @param changes {@link ChangeEvent.DataChange}s and {@link ChangeEvent.Truncate}s of that
     *     table, rows in the schema's column order
     * @throws SiphonException {@link ErrorCode#SINK_WRITE_FAILED} (or its retriable twin)
     */
    void apply(TableSchema table, List<ChangeEvent> changes);

    /**
     * Applies a schema change to a target table, after flushing what was written to it, and returns
     * the table's new schema. Changes that do not fit the target (narrowing a type) fail with
     * {@link ErrorCode#SCHEMA_MISMATCH}.
     *
     * @param table the target's current schema
     * @param change the change, naming the source table
     */
    TableSchema applySchemaChange(TableSchema table, ChangeEvent.SchemaChange change);

    /**
     * Makes everything written so far durable at the target. When it returns normally, a crash
     * loses none of it. A {@link #twoPhaseCommit()} writer commits here (the engine's snapshot
     * writers, which commit whole chunks, call it); the stream writers call {@link
     * #prepareCommit()} and {@link #commitPrepared()} instead.
     */
    void flush();

    /**
     * Whether this writer commits in two phases tied to the engine's checkpoints ({@link
     * #prepareCommit()}, {@link #commitPrepared()}); false by default. The engine's stream writer
     * then commits only there: not between checkpoints, and not before a schema change (the writer
     * keeps it in order within its transaction). Writer thread, any time after opening.
     */
    default boolean twoPhaseCommit() {
        return false;
    }

    /**
     * Phase one of a checkpoint: sends everything written so far into the open transaction and
     * waits until the target has it, without committing; returns nothing, and keeps nothing the
     * engine must store. Writes that come after it, before {@link #commitPrepared()}, belong to the
     * next transaction (the writer holds them back until the commit). Called again without a commit
     * in between when the checkpoint failed elsewhere: the transaction then simply goes on. Writer
     * thread, on each checkpoint barrier. The default flushes, so a writer without two phases
     * commits here.
     *
     * @throws SiphonException when the target refused a write; the checkpoint fails, and the job
     *     with it
     */
    default void prepareCommit() {
        flush();
    }

    /**
     * Phase two: commits the transaction prepared by the last {@link #prepareCommit()}, and starts
     * sending what was held back since. Writer thread, once the checkpoint completed on every
     * processor and before the engine stores its position; nothing to do when nothing was prepared.
     *
     * @throws SiphonException when the commit failed; the job fails, the position is not stored,
     *     and the next run aborts the transaction and replays it
     */
    default void commitPrepared() {}

    /** Discards what was not flushed and releases the connection. */
    @Override
    void close();
}
