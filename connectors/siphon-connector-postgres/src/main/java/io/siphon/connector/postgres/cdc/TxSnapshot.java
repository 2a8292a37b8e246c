package io.siphon.connector.postgres.cdc;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which transactions a PostgreSQL snapshot sees, from its text form ({@code pg_current_snapshot()}:
 * {@code xmin:xmax:xip,...}, with 64-bit transaction ids). A transaction is visible when it ended
 * before the snapshot was taken: its id is below {@code xmin}, or below {@code xmax} and not among
 * those in progress ({@code xip}).
 *
 * @param xmin the oldest transaction still in progress when the snapshot was taken
 * @param xmax one past the newest transaction id assigned then
 * @param inProgress the transactions in progress then (between xmin and xmax)
 */
record TxSnapshot(long xmin, long xmax, Set<Long> inProgress) {

    private static final long EPOCH = 1L << 32;

    /** Parses {@code pg_current_snapshot()::text}. */
    static TxSnapshot parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new SiphonException(
                    ErrorCode.INTERNAL_ERROR,
                    "'" + text + "' is not a PostgreSQL snapshot (xmin:xmax:xip)");
        }
        Set<Long> xip =
                parts[2].isEmpty()
                        ? Set.of()
                        : Stream.of(parts[2].split(","))
                                .map(Long::parseLong)
                                .collect(Collectors.toUnmodifiableSet());
        return new TxSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), xip);
    }

    /**
     * Whether the snapshot sees the transaction with the 32-bit id that logical decoding gives. The
     * id is widened with the snapshot's epoch: a transaction the stream decoded had its id before
     * the snapshot was taken, so it lies below {@code xmax} and less than one epoch before.
     */
    boolean sees(long xid32) {
        long full = (xmax & -EPOCH) | (xid32 & (EPOCH - 1));
        if (full >= xmax) {
            full -= EPOCH;
        }
        return full < xmin || (full < xmax && !inProgress.contains(full));
    }
}
