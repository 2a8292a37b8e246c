package io.siphon.spi;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Offset;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Changes of a source after a position, in commit order. Opened, polled, acknowledged and closed by
 * one reader thread.
 *
 * <p>Each event carries its position in {@link io.siphon.model.EventMeta#position()}. Positions
 * only grow. Resuming from a position replays everything after the last fully delivered transaction
 * before it, so a crash may deliver a change twice but never loses one; sinks absorb repeats with
 * upserts.
 */
public interface ChangeStream extends AutoCloseable {

    /**
     * The next changes, waiting up to {@code timeout} for the first; empty when none arrived.
     * Schema changes come before the rows that depend on them.
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
     * second; must be cheap.
     */
    default long backlogBytes() {
        return -1;
    }

    /** Closes the stream; the source keeps its position (the slot stays). */
    @Override
    void close();
}
