package io.siphon.model;

import java.io.Serializable;
import java.time.Instant;

/**
 * Where and when a change happened at the source.
 *
 * @param position the source position of the change (resume from after it); may be null for
 *     snapshot rows
 * @param commitTime when the source committed the change; may be null when unknown
 * @param transactionId the source transaction, as text; may be null when unknown
 * @param order the change's place in the stream, unique per data change; null when the source
 *     cannot tell (then sinks cannot skip a replayed change and rely on idempotent writes)
 */
public record EventMeta(
        Offset position, Instant commitTime, String transactionId, ChangeOrder order)
        implements Serializable {

    /** Meta data for a change with no known position, time or transaction. */
    public static final EventMeta NONE = new EventMeta(null, null, null, null);

    /** Meta data without a place in the stream. */
    public EventMeta(Offset position, Instant commitTime, String transactionId) {
        this(position, commitTime, transactionId, null);
    }

    /** The same meta data for the change at {@code order}. */
    public EventMeta at(ChangeOrder order) {
        return new EventMeta(position, commitTime, transactionId, order);
    }
}
