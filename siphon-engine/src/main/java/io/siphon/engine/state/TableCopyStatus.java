package io.siphon.engine.state;

/** Where a copy of one table made while the stream runs (a per-table re-snapshot) stands. */
public enum TableCopyStatus {
    /** Asked for; the stream plans its chunks when it picks it up. */
    REQUESTED,
    /** Chunks planned; the target table is emptied (again) before the first chunk. */
    PLANNED,
    /** The target table was emptied in stream order; chunks not done are read next. */
    COPYING,
    /** Every chunk is durable at the target. */
    DONE,
    /** Could not be done (the message says why); nothing was emptied. */
    FAILED,
    /** Given up, because the whole pipeline is copied again. */
    CANCELLED;

    /** Whether the copy still has work to do. */
    public boolean open() {
        return this == REQUESTED || this == PLANNED || this == COPYING;
    }
}
