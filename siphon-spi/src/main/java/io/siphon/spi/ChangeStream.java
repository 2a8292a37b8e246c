package io.siphon.spi;

import io.siphon.model.ChangeEvent;
import io.siphon.model.Offset;
import java.time.Duration;
import java.util.List;

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
