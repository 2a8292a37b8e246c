package io.siphon.model;

import java.io.Serializable;

/**
 * A change's place in its source's stream, as two numbers that order every change of the stream:
 * the position of its transaction's commit (PostgreSQL: the commit LSN) and its index within that
 * transaction (0, 1, 2, ... in the order the source sent the changes). A replay of the stream gives
 * every change the same place, so a sink that records the place of the last change it applied
 * (exactly-once sinks) knows on a replay which changes it already has. The engine never looks
 * inside.
 *
 * @param commit the commit position of the change's transaction, compared unsigned
 * @param index the change's index within its transaction, from 0
 */
public record ChangeOrder(long commit, long index)
        implements Comparable<ChangeOrder>, Serializable {

    @Override
    public int compareTo(ChangeOrder other) {
        int byCommit = Long.compareUnsigned(commit, other.commit);
        return byCommit != 0 ? byCommit : Long.compare(index, other.index);
    }

    /** Whether this change comes after {@code other} in the stream. */
    public boolean isAfter(ChangeOrder other) {
        return compareTo(other) > 0;
    }
}
