package io.siphon.engine.state;

/** Whether a snapshot chunk has been written and flushed at the target, or left to a table copy. */
public enum ChunkStatus {
    /** Not yet durably written; read (again) by the next run. */
    PENDING,
    /** Durably written at the target. */
    DONE,
    /**
     * Not read by this snapshot: its table is copied whole by a table copy while the stream runs
     * instead (a table without a key whose snapshot resumed at a new read point).
     */
    HANDED_OVER
}
