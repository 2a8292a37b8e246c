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
 */
public record EventMeta(Offset position, Instant commitTime, String transactionId)
        implements Serializable {

    /** Meta data for a change with no known position, time or transaction. */
    public static final EventMeta NONE = new EventMeta(null, null, null);
}
