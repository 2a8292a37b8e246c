package io.siphon.spi;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Offset;
import io.siphon.model.Row;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes of a source after a position, in commit order. Opened, polled, acknowledged and closed by
 * one reader thread.
 *
 * <p>Each event carries its position in {@link io.siphon.model.EventMeta#position()}. Positions
 * only grow. Resuming from a position replays everything after the last fully delivered transaction
 * before it, so a crash may deliver a change twice but never loses one. A stream whose source has a
 * total order also gives each data change its place ({@link io.siphon.model.EventMeta#order()}),
 * the same place on every replay: exactly-once sinks skip the changes they already committed by it,
 * other sinks absorb repeats with upserts.
 */
public interface ChangeStream extends AutoCloseable {

    /**
     * The next changes, waiting up to {@code timeout} for the first; empty when none arrived.
     * Schema changes come before the rows that depend on them. Return as soon as a change comes:
     * the engine asks an idle stream to wait longer and longer (up to seconds), counting on that. A
     * poll may return early when its thread is interrupted (the engine is cancelling the job).
     *
     * @throws SiphonException {@link ErrorCode#CONNECTION_LOST} (retriable) when the connection
     *     broke, {@link ErrorCode#POSITION_LOST} when the source no longer has the position
     */
    List<ChangeEvent> poll(Duration timeout);

    /**
     * The position up to which every change has been returned by {@link #poll} and belongs to a
     * complete transaction: resuming from it loses nothing.
     */
    Offset safePosition();

    /**
     * The schema of each table, as of {@link #safePosition()}, that the stream knows exactly: the
     * schema the next change of the table after that position is read against, once every schema
     * change of a complete transaction up to there is applied. The engine stores it with the
     * position as the pipeline's schema history and hands it back to {@link
     * StreamSource#open(String, List, Offset, java.util.Set)} on resume. A table missing here is
     * given as the source has it then. Called by the reader thread after each {@link #poll}; must
     * be cheap. By default none (the source keeps no history).
     */
    default Map<TableId, TableSchema> safeSchemas() {
        return Map.of();
    }

    /**
     * Tells the source that every change up to {@code offset} is durable at the target, so it may
     * release them (PostgreSQL: the slot's flushed position). Called only with positions that the
     * engine has stored durably.
     */
    void acknowledge(Offset offset);

    /**
     * How much of the source's log lies beyond the last acknowledged position, in bytes
     * (PostgreSQL: the slot's lag); -1 when the source cannot tell. Reader thread, about once a
     * second while changes come and every ten seconds while the stream is idle; must be cheap.
     */
    default long backlogBytes() {
        return -1;
    }

    /**
     * Reads one split of a table while the stream runs, between two watermarks written into this
     * stream's log (DBLog): the low watermark, then the split's rows as the source has them at one
     * moment after it, then the high watermark. A change of the split's rows that the stream
     * returns between the two watermarks may or may not be in the rows read; a change before the
     * low one always is (unless {@link #readMissedEarlierChange} says otherwise), one after the
     * high one never is. Sources with {@link Capability#WATERMARKS} only. Reader thread, between
     * polls.
     *
     * <p>For a table without a primary key the rows cannot be matched with changes by key, so the
     * source must make sure that no change of the table falls between the watermarks (PostgreSQL
     * holds a {@code SHARE} lock on the table while it reads), and the split must be the whole
     * table.
     *
     * @param table the table's schema as the stream has it now; rows come in its column order
     * @param split the split to read (planned by {@link SnapshotSource#planSplits})
     * @param low the text of the low watermark, unique to this read
     * @param high the text of the high watermark, unique to this read
     * @return the rows of the split
     * @throws SiphonException {@link ErrorCode#CAPABILITY_MISSING} when the source cannot write
     *     watermarks; connection errors as for {@link #poll}
     */
    default List<Row> readBetweenWatermarks(
            TableSchema table, SnapshotSplit split, String low, String high) {
        throw new SiphonException(
                ErrorCode.CAPABILITY_MISSING,
                "this source cannot re-copy a table while it streams (no watermarks); copy it"
                        + " again with a new snapshot of the pipeline instead");
    }

    /**
     * Whether the last {@link #poll} stopped at its size limit with more changes already there to
     * read: the stream is behind the source. The engine then lets writers gather changes into
     * larger commits instead of committing as soon as they have caught up. Reader thread, after
     * each poll; by default false (the engine also judges by the changes' commit times).
     */
    default boolean moreWaiting() {
        return false;
    }

    /**
     * The text of the watermark the last {@link #poll} stopped at, or null. A poll stops right
     * after a watermark written by {@link #readBetweenWatermarks} (of any reader of the source), so
     * every event it and earlier polls returned lies before the watermark in the source's log and
     * every event of later polls after it. Reader thread, after each poll.
     */
    default String watermarkReached() {
        return null;
    }

    /**
     * Per table, a token of the table's storage as of {@link #safePosition()} that the source wants
     * back when the stream resumes from that position ({@link #resumeTableMarks}), so that it can
     * tell what happened to the table while the pipeline was stopped. PostgreSQL: the table's
     * {@code relfilenode}, which a rewrite changes. The engine stores them with the position; empty
     * for a source that needs none. Reader thread, together with {@link #safePosition()}.
     */
    default Map<TableId, String> safeTableMarks() {
        return Map.of();
    }

    /**
     * Gives the stream, right after it opened and before its first poll, the marks stored with the
     * position it resumes from ({@link #safeTableMarks}); tables without one (new to the pipeline,
     * or a position stored before marks existed) keep what the source reads now. Reader thread.
     */
    default void resumeTableMarks(Map<TableId, String> marks) {}

    /**
     * Whether the rows of the {@link #readBetweenWatermarks} whose low watermark is {@code low} may
     * lack a change that this stream returned before that watermark: a source can make a committed
     * change visible to readers a moment after it logged it (PostgreSQL: a transaction that wrote
     * its commit record but had not yet ended when the read took its snapshot). The caller then
     * discards the rows and reads the split again between new watermarks. Reader thread, once a
     * poll stopped at {@code low}.
     */
    default boolean readMissedEarlierChange(String low) {
        return false;
    }

    /**
     * Tables whose rows the source changed without change events, found by the polls since the last
     * call (PostgreSQL: a table rewrite by {@code ADD COLUMN ... DEFAULT clock_timestamp()} or
     * {@code ALTER COLUMN ... TYPE ... USING}, seen when its new columns reach the stream). The
     * changes of such a table cannot be followed row by row: the engine copies it again. Reader
     * thread, after each poll.
     */
    default Set<TableId> rewrittenTables() {
        return Set.of();
    }

    /** Closes the stream; the source keeps its position (the slot stays). */
    @Override
    void close();
}
